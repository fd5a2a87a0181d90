import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Revocation by OCSP (issue 19): an e.firma's certificate is checked with the responder its authority
/// names; a revoked or unknown certificate is refused and nothing is recorded; an unreachable responder
/// refuses the signature only when the operator requires the check (`COCREA_OCSP_REQUIRED`); the answer
/// is kept with the signature and in the sealed PAL's DSS, and verification says whether it was checked.
@Suite struct EFirmaRevocationTests {
    static let responder = SharedFixture { try await TestOCSPResponder(world: EFirmaSigning.world.value) }

    /// The signing world with the responder behind HTTP on loopback (`server`), answering to begin with.
    static func run(_ database: TestDatabase, required: Bool = false, _ body: (EFirmaSigning, LoopbackService) async throws -> Void) async throws {
        let responder = try await Self.responder.value
        let server = LoopbackService()
        try await server.serving("ocsp", mediaType: EFirmaRevocation.responseMediaType, answer: { try await responder.reply(to: $0) }) {
            try await EFirmaSigning.run(database, adjust: { $0.ocsp = OCSPPolicy(required: required) }) { world in
                try await body(world, server)
            }
        }
    }

    /// María Fernanda's e.firma, naming `server` as its authority's OCSP responder.
    static func mariaFernanda(at server: LoopbackService) async throws -> EFirmaWorld.Holder {
        try await EFirmaSigning.world.value.issue(
            name: "MARÍA FERNANDA LÓPEZ CASTAÑEDA", rfc: "LOCM850412K7A", curp: "LOCM850412MJCPSR05", ocspURL: server.url)
    }

    /// Nothing of a refused signature is kept: not signed, no wrong attempt counted, no event.
    static func expectNothingRecorded(_ world: EFirmaSigning) async throws {
        let signature = try await world.signature(EFirmaSigning.institutionEmail)
        #expect(signature.signedAt == nil)
        #expect(signature.failedAttempts == 0)
        #expect(signature.efirmaCMS == nil && signature.efirmaOCSP == nil && signature.efirmaCertificates == nil)
        #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign").count() == 0)
    }

    @Test(arguments: TestDatabase.all)
    func aCertificateTheResponderSaysIsGoodIsSignedAndItsAnswerKept(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            let holder = try await Self.mariaFernanda(at: server)
            try await Self.responder.value.know(holder)
            _ = try await world.sign(with: holder)
            let signature = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(signature.signedAt != nil)
            let kept = try #require(signature.efirmaOCSP)
            #expect(signature.revocationCheckedAt != nil)
            let printed = try await Tool.output(["openssl", "ocsp", "-respin", "FILE", "-resp_text", "-noverify"], input: kept)
            #expect(printed.contains("Cert Status: good"), "\(printed)")
            let chain = EFirmaCertificate.certificates(concatenated: try #require(signature.efirmaCertificates))
            #expect(chain.count == 3, "the certificate, the intermediate and the root")
            #expect(chain.first == holder.certificate)
            let recorded = try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign").all().compactMap(\.after).joined()
            #expect(recorded.contains(#""revocation":"ocsp""#), "\(recorded)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedCertificateIsRefusedWithItsDateAndNothingIsRecorded(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            let holder = try await Self.mariaFernanda(at: server)
            try await Self.responder.value.know(holder, revokedAt: Date().addingTimeInterval(-2 * 86400))
            await #expect { try await world.sign(with: holder) } throws: { isRefusal($0, .efirmaRevoked) }
            try await Self.expectNothingRecorded(world)

            let refused = try await EFirmaSigningFlowTests.send(holder, to: try world.token(EFirmaSigning.institutionEmail), on: world.app)
            #expect(refused.status == .unprocessableEntity)
            #expect(try SigningFlowTests.problem(refused)["code"] as? String == "efirma_revoked")
            #expect(refused.body.string.contains("El SAT revocó el certificado de esta e.firma"), "\(refused.body.string)")
            try await Self.expectNothingRecorded(world)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCertificateTheResponderDoesNotKnowIsNotTrusted(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            let holder = try await Self.mariaFernanda(at: server)
            await #expect { try await world.sign(with: holder) } throws: { isRefusal($0, .efirmaUntrusted) }
            try await Self.expectNothingRecorded(world)
        }
    }

    @Test(arguments: TestDatabase.all)
    func whenTheCheckIsRequiredAnUnreachableOrGarbledResponderRefusesWithA503AndRecordsNothing(database: TestDatabase) async throws {
        try await Self.run(database, required: true) { world, server in
            let holder = try await Self.mariaFernanda(at: server)
            try await Self.responder.value.know(holder)
            let token = try world.token(EFirmaSigning.institutionEmail)
            for mode in [LoopbackService.Mode.down, .garbage] {
                server.mode = mode
                let refused = try await EFirmaSigningFlowTests.send(holder, to: token, on: world.app)
                #expect(refused.status == .serviceUnavailable, "\(mode)")
                #expect(refused.headers.first(name: .retryAfter) == "60")
                #expect(try SigningFlowTests.problem(refused)["code"] as? String == "efirma_ocsp_unavailable")
                #expect(refused.body.string.contains("No se registró nada"), "\(refused.body.string)")
                try await Self.expectNothingRecorded(world)
            }
            server.mode = .answering
            let signed = try await EFirmaSigningFlowTests.send(holder, to: token, on: world.app)
            #expect(signed.status == .ok, "once the responder answers the same e.firma signs: \(signed.body.string)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func whenTheCheckIsNotRequiredAnUnreachableResponderLeavesTheSignatureUnchecked(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            server.mode = .down
            let holder = try await Self.mariaFernanda(at: server)
            try await Self.responder.value.know(holder)
            _ = try await world.sign(with: holder)
            let signature = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(signature.signedAt != nil)
            #expect(signature.efirmaOCSP == nil && signature.revocationCheckedAt == nil)
            let recorded = try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign").all().compactMap(\.after).joined()
            #expect(recorded.contains(#""revocation":"unchecked""#), "\(recorded)")

            let sealed = try await Self.everyoneElseSigns(world)
            let page = try await Browser(app: world.app).get("/verify?sha256=\(Hashing.sha256Hex(sealed))")
            #expect(page.body.string.contains("(revocación no comprobada)"), "\(page.body.string)")
            #expect(try PDFDSS.contents(of: sealed).ocspResponses.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDigitalSealCertificateIsRefusedWithAMessageToUseTheEFirma(database: TestDatabase) async throws {
        try await Self.run(database) { world, _ in
            let csd = try await EFirmaSigning.world.value.issue(
                name: "MARÍA FERNANDA LÓPEZ CASTAÑEDA", rfc: "LOCM850412K7A", curp: "LOCM850412MJCPSR05", branch: "Sucursal Guadalajara Centro")
            await #expect { try await world.sign(with: csd) } throws: { isRefusal($0, .efirmaIsCSD) }
            let refused = try await EFirmaSigningFlowTests.send(csd, to: try world.token(EFirmaSigning.institutionEmail), on: world.app)
            #expect(refused.status == .unprocessableEntity)
            #expect(try SigningFlowTests.problem(refused)["code"] as? String == "efirma_is_csd")
            #expect(refused.body.string.contains("usa tu e.firma"), "\(refused.body.string)")
            try await Self.expectNothingRecorded(world)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSealedPALKeepsTheAnswerAndTheChainInItsDSSAndOutsideToolsStillValidateIt(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            let holder = try await Self.mariaFernanda(at: server)
            try await Self.responder.value.know(holder)
            _ = try await world.sign(with: holder)
            let kept = try #require(try await world.signature(EFirmaSigning.institutionEmail).efirmaOCSP)
            let sealed = try await Self.everyoneElseSigns(world)

            let store = try PDFDSS.contents(of: sealed)
            #expect(store.ocspResponses == [Array(kept)])
            #expect(Set(store.certificates).isSuperset(of: [holder.certificate]))
            #expect(store.certificates.count == 3, "the certificate, the intermediate and the root, each once")

            let script = """
                import sys
                from pyhanko.pdf_utils.reader import PdfFileReader
                from pyhanko.sign.validation.dss import DocumentSecurityStore
                store = DocumentSecurityStore.read_dss(PdfFileReader(open(sys.argv[1], "rb")))
                print(len(store.ocsps), len(store.certs))
                """
            #expect(try await Tool.output(["python3", "-c", script, "FILE"], input: sealed) == "1 3\n")
            let judged = try await Self.pyHanko(sealed, instancePEM: world.app.identity.certificatePEM)
            #expect(judged.last == "seal: intact valid NONE", "\(judged)")
            #expect(judged.allSatisfy { $0.contains(": intact valid") }, "\(judged)")
            let pdfsig = try await Tool.output(["pdfsig", "-nocert", "FILE"], input: sealed)
            #expect(pdfsig.components(separatedBy: "Signature is Valid").count == judged.count + 1, "\(pdfsig)")
            let pdfaCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../support/pdfa_check.py").standardized
            let archival = try await Tool.output(["python3", pdfaCheck.path, "FILE"], input: sealed)
            #expect(archival.contains("PDF/A-2b: OK"), "\(archival)")

            let (headers, body) = SigningFlowTests.multipart(sealed, name: "pal.pdf")
            let verified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await APIClient(app: world.app, token: nil).send(.POST, "/api/v1/verify", headers: headers, body: body).body)
            #expect(verified.authentic)
            #expect(verified.signers.first { $0.method == "efirma" }?.revocationCheckedAt != nil)
            let page = try await Browser(app: world.app).get("/verify?sha256=\(Hashing.sha256Hex(sealed))")
            #expect(page.body.string.contains("(revocación comprobada por OCSP el "), "\(page.body.string)")
        }
    }

    @Test func anOCSPRequirementThatIsNeitherTrueNorFalseStopsTheStart() throws {
        #expect(try CocreaOptions.ocspRequired(nil) == false)
        #expect(try CocreaOptions.ocspRequired("false") == false)
        #expect(try CocreaOptions.ocspRequired("TRUE") == true)
        #expect {
            try CocreaOptions.ocspRequired("sí")
        } throws: { error in
            (error as? CocreaError)?.message.contains("COCREA_OCSP_REQUIRED debe ser true o false, no «sí».") == true
        }
    }

    /// Each signature of `pdf` as pyHanko judges it, with the test root and the instance certificate as
    /// trust anchors and no network: the DSS is what it has to go on.
    static func pyHanko(_ pdf: Data, instancePEM: String) async throws -> [String] {
        let authorities = try await EFirmaSigning.world.value
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-dss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [("pal.pdf", pdf), ("instancia.pem", Data(instancePEM.utf8)), ("raiz.pem", Data(authorities.rootPEM.utf8))]
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
        let script = """
            import sys
            from pyhanko.keys import load_cert_from_pemder
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature
            from pyhanko_certvalidator import ValidationContext
            folder = sys.argv[1]
            context = ValidationContext(
                trust_roots=[load_cert_from_pemder(folder + "/instancia.pem"), load_cert_from_pemder(folder + "/raiz.pem")],
                allow_fetching=False, revocation_mode="soft-fail")
            with open(folder + "/pal.pdf", "rb") as f:
                for signature in PdfFileReader(f, strict=False).embedded_signatures:
                    kind = "efirma" if signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached" else "seal"
                    try:
                        status = validate_pdf_signature(signature, context)
                        level = status.modification_level.name if status.modification_level else "NONE"
                        print(kind + ":", "intact" if status.intact else "broken", "valid" if status.valid else "invalid", level)
                    except Exception as error:
                        print(kind + ": broken", type(error).__name__)
            """
        return try await Tool.output(["python3", "-c", script, directory.path], input: Data())
            .split(separator: "\n").map(String.init)
    }

    /// The other members sign with the emailed code; returns the sealed PAL.
    static func everyoneElseSigns(_ world: EFirmaSigning) async throws -> Data {
        let anyone = APIClient(app: world.app, token: nil)
        for person in world.setup.fixture.members.values where person.email != EFirmaSigning.institutionEmail {
            let token = try world.token(person.email)
            _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
            let code = try await SigningFlowTests.code(for: person.email, on: world.app)
            let answer = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
            #expect(answer.status == .ok, "\(answer.body.string)")
        }
        let sealed = try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf")
        #expect(sealed.status == .ok)
        return Data(buffer: sealed.body)
    }
}
