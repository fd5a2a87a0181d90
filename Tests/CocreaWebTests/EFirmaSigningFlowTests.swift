import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Signing with an e.firma through `POST /api/v1/signing/{token}/efirma` and the form on `/sign/{token}`,
/// beside the emailed code: the sealed PAL and its verification say how each actor signed.
@Suite struct EFirmaSigningFlowTests {
    static func upload(_ holder: EFirmaWorld.Holder, password: String? = nil) -> [MultipartForm.File] {
        [
            (field: "certificate", name: "locm850412k7a.cer", type: "application/pkix-cert", data: holder.certificate),
            (field: "privateKey", name: "Claveprivada_FIEL_LOCM850412K7A.key", type: "application/octet-stream", data: holder.key),
        ]
    }

    static func send(_ holder: EFirmaWorld.Holder, password: String? = nil, to token: String, on app: Application) async throws -> TestingHTTPResponse {
        let (headers, body) = MultipartForm.encode(fields: [("password", password ?? holder.password)], files: upload(holder))
        return try await APIClient(app: app, token: nil).send(.POST, "/api/v1/signing/\(token)/efirma", headers: headers, body: body)
    }

    @Test(arguments: TestDatabase.all)
    func anActorSignsWithTheirEFirmaTheOthersWithTheCodeAndVerificationSaysHowEachSigned(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            let token = try world.token(EFirmaSigning.institutionEmail)
            let wrong = try await Self.send(EFirmaSigning.mariaFernanda.value, password: "no es la contraseña", to: token, on: world.app)
            #expect(wrong.status == .unprocessableEntity)
            #expect(try SigningFlowTests.problem(wrong)["code"] as? String == "efirma_password_wrong")
            #expect(try SigningFlowTests.problem(wrong)["remainingAttempts"] as? Int == 4)
            #expect(wrong.body.string.contains("Te quedan 4 intentos"), "\(wrong.body.string)")

            let (onlyPassword, onlyPasswordBody) = MultipartForm.encode(fields: [("password", "x")], files: [])
            let missing = try await APIClient(app: world.app, token: nil).send(
                .POST, "/api/v1/signing/\(token)/efirma", headers: onlyPassword, body: onlyPasswordBody)
            #expect(missing.status == .unprocessableEntity)
            #expect(try SigningFlowTests.problem(missing)["code"] as? String == "efirma_not_certificate")

            // An e.firma is a few kilobytes: a body past the route's 64 KB is refused before it is read.
            let (bulky, bulkyBody) = try await MultipartForm.encode(
                fields: [("password", EFirmaSigning.mariaFernanda.value.password)],
                files: [(field: "certificate", name: "enorme.cer", type: "application/pkix-cert", data: [UInt8](repeating: 0x30, count: 100_000))])
            let tooLarge = try await APIClient(app: world.app, token: nil).send(.POST, "/api/v1/signing/\(token)/efirma", headers: bulky, body: bulkyBody)
            #expect(tooLarge.status == .payloadTooLarge)

            let signed = try await Self.send(EFirmaSigning.mariaFernanda.value, to: token, on: world.app)
            #expect(signed.status == .ok, "\(signed.body.string)")
            #expect(try JSONDecoder.api.decode(SignedDTO.self, from: signed.body).sealed == false)
            let twice = try await Self.send(EFirmaSigning.mariaFernanda.value, to: token, on: world.app)
            #expect(twice.status == .conflict)

            let anyone = APIClient(app: world.app, token: nil)
            for person in world.setup.fixture.members.values where person.email != EFirmaSigning.institutionEmail {
                let other = try world.token(person.email)
                _ = try await anyone.send(.POST, "/api/v1/signing/\(other)/code")
                let code = try await SigningFlowTests.code(for: person.email, on: world.app)
                let answer = try await anyone.send(.POST, "/api/v1/signing/\(other)", json: #"{"code": "\#(code)"}"#)
                #expect(answer.status == .ok, "\(answer.body.string)")
            }

            let sealed = Data(buffer: try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").body)
            let text = try await SignedPALText.of(sealed)
            #expect(text.contains("firma electrónica avanzada (e.firma, RFC LOCM850412K7A)"), "\(text)")
            #expect(text.contains("emitido por AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA"), "the certificate page names the issuer")

            let (headers, body) = SigningFlowTests.multipart(sealed, name: "pal.pdf")
            let verified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body).body)
            #expect(verified.authentic)
            let efirma = try #require(verified.signers.first { $0.name == "Dra. María Fernanda López Castañeda" })
            #expect(efirma.method == "efirma")
            #expect(efirma.rfc == "LOCM850412K7A")
            #expect(efirma.issuer == "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA")
            #expect(efirma.serial == (try await world.signature(EFirmaSigning.institutionEmail)).certificateSerial)
            #expect(verified.signers.filter { $0.method == "emailCode" }.count == 3)
            #expect(verified.signers.filter { $0.method == "emailCode" }.allSatisfy { $0.rfc == nil })

            let page = try await Browser(app: world.app).get("/verify?sha256=\(Hashing.sha256Hex(sealed))")
            #expect(page.body.string.contains("LOCM850412K7A"))

            let offline = try await VerificationOperations.offlineReport(file: sealed, certificatePEM: world.app.identity.certificatePEM)
            #expect(offline.authentic)
            #expect(offline.report.contains("(firma electrónica avanzada (e.firma, RFC LOCM850412K7A))"), "\(offline.report)")
            #expect(offline.report.contains("certificado \(efirma.serial ?? "?"), emitido por AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSigningPageOffersTheEFirmaFormAndExplainsARefusalInSpanish(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            let token = try world.token(EFirmaSigning.institutionEmail)
            let browser = Browser(app: world.app)
            let page = try await browser.get("/sign/\(token)")
            let html = page.body.string
            #expect(html.contains(#"action="/sign/\#(token)/efirma" enctype="multipart/form-data""#))
            for field in ["certificate", "privateKey", "password"] {
                #expect(html.contains(#"<label for="\#(field)">"#), "every input has its label")
            }
            #expect(html.contains("Firmar con mi e.firma"))

            let juana = try await EFirmaSigning.world.value.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03")
            let refused = try await browser.postMultipart(
                "/sign/\(token)/efirma", fields: [("password", juana.password)], files: Self.upload(juana))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("El certificado es de otra persona (RFC PEGJ800101AB1"), "\(refused.body.string)")
            let unsigned = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(unsigned.signedAt == nil, "a refusal records nothing")

            let signed = try await browser.postMultipart(
                "/sign/\(token)/efirma", fields: [("password", EFirmaSigning.mariaFernanda.value.password)],
                files: Self.upload(EFirmaSigning.mariaFernanda.value))
            #expect(signed.status == .ok)
            #expect(signed.body.string.contains("Firmaste el plan con tu e.firma"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutTrustedAuthoritiesTheSigningPageOffersOnlyTheCode(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database, trusted: false) { world in
            let html = try await Browser(app: world.app).get("/sign/\(try world.token(EFirmaSigning.institutionEmail))").body.string
            #expect(html.contains(#"name="code""#))
            #expect(!html.contains("/efirma"))
        }
    }
}
