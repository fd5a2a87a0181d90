import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// A signature request open for the four members, with the SAT-shaped authorities of `EFirmaWorld`
/// trusted (unless asked otherwise) and María Fernanda's RFC recorded as her certificate writes it.
struct EFirmaSigning {
    static let world = SharedFixture { try await EFirmaWorld() }
    static let mariaFernanda = SharedFixture {
        try await world.value.issue(name: "MARÍA FERNANDA LÓPEZ CASTAÑEDA", rfc: "LOCM850412K7A", curp: "LOCM850412MJCPSR05")
    }
    static let lucia = SharedFixture {
        try await world.value.issue(name: "LUCÍA HERNÁNDEZ PAREDES", rfc: "HEPL900305QX4", curp: "HEPL900305MJCRRC02", password: "Lucía firma 2026")
    }
    static let institutionEmail = "mf.lopez@salud-jalisco.example"

    let app: Application
    let setup: SigningFlowTests.Setup
    let clock: TestClock
    /// Each member's signing token, by email.
    let links: [String: String]

    /// Certificates are issued from the machine's clock, valid from that second, so the application's
    /// clock starts an hour later: within the validity of every certificate a test issues.
    static func run(
        _ database: TestDatabase, trusted: Bool = true, adjust: (inout CocreaOptions) -> Void = { _ in }, _ body: (EFirmaSigning) async throws -> Void
    ) async throws {
        let clock = TestClock(Date().addingTimeInterval(3600))
        let authorities = try await world.value.directory.appendingPathComponent("authorities.pem").path
        try await withCocrea(
            database, clock: clock,
            adjust: {
                if trusted { $0.trustRoots = [authorities] }
                adjust(&$0)
            }
        ) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let requested = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            #expect(requested.status == .accepted, "\(requested.body.string)")
            try await record(rfc: "LOCM850412K7A", for: institutionEmail, on: app)
            try await body(EFirmaSigning(app: app, setup: setup, clock: clock, links: try await SigningFlowTests.signingLinks(on: app)))
        }
    }

    static func record(rfc: String?, curp: String? = nil, for email: String, on app: Application) async throws {
        let member = try #require(try await Member.query(on: app.db).filter(\.$email == email).first())
        member.rfc = rfc
        member.curp = curp
        try await member.save(on: app.db)
    }

    func token(_ email: String) throws -> String { try #require(links[email]) }

    func sign(
        _ email: String = EFirmaSigning.institutionEmail, with holder: EFirmaWorld.Holder? = nil, key: [UInt8]? = nil, password: String? = nil
    ) async throws -> SignedDTO {
        let holder = if let holder { holder } else { try await EFirmaSigning.mariaFernanda.value }
        return try await SigningOperations.signWithEFirma(
            token: try token(email),
            input: EFirmaSigningInput(certificate: Data(holder.certificate), privateKey: Data(key ?? holder.key), password: password ?? holder.password),
            from: SigningClient(ipAddress: "189.203.14.7", userAgent: "Mozilla/5.0 (Pruebas e.firma)"), on: try app.useCases)
    }

    /// What a refusal of a wrong secret says is left before the link locks.
    func remainingAttempts(_ error: any Error) -> Int? {
        guard case .value(let value)? = (error as? CocreaError)?.facts["remainingAttempts"] else { return nil }
        return value as? Int
    }

    func signature(_ email: String) async throws -> Signature {
        try #require(
            try await Signature.query(on: app.db).join(Member.self, on: \Signature.$member.$id == \Member.$id).filter(Member.self, \.$email == email).first())
    }
}

/// Signing the PAL with an e.firma (issue 19): every check before anything is recorded, a wrong
/// password counted as a wrong code, and what the signature keeps.
@Suite struct EFirmaSigningUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func anActorSignsWithTheirEFirmaAndTheSignatureKeepsTheCertificateNeverTheKey(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            let signed = try await world.sign()
            #expect(!signed.sealed)
            let signature = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(signature.method == "efirma")
            #expect(signature.signedAt != nil)
            #expect(signature.certificateRFC == "LOCM850412K7A")
            #expect(signature.certificateIssuer == "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA")
            #expect(signature.certificateSerial?.isEmpty == false)
            let version = try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db))
            let cms = try #require(signature.efirmaCMS)
            let verified = try await EFirmaSigning.world.value.opensslVerifies(Array(cms), over: Array(version.content.utf8))
            #expect(verified.accepted, "the CAdES signature covers the version's canonical content: \(verified.output)")

            let events = try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign").all()
            #expect(events.count == 1)
            let recorded = events.compactMap(\.after).joined()
            #expect(recorded.contains("LOCM850412K7A") && recorded.contains("efirma"))
            #expect(try await !recorded.contains(EFirmaSigning.mariaFernanda.value.password), "the password is never recorded")

            let status = try await SigningOperations.status(of: version, on: world.app.db)
            #expect(status.signatures.first { $0.name == "Dra. María Fernanda López Castañeda" }?.method == "efirma")
        }
    }

    @Test(arguments: TestDatabase.all)
    func fiveWrongPasswordsLockTheLinkAsFiveWrongCodesDo(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            for remaining in [4, 3, 2, 1] {
                await #expect {
                    try await world.sign(password: "contraseña equivocada")
                } throws: { error in
                    isRefusal(error, .efirmaPasswordWrong) && world.remainingAttempts(error) == remaining
                }
            }
            await #expect { try await world.sign(password: "contraseña equivocada") } throws: { isRefusal($0, .signingLinkLocked) }
            await #expect { try await world.sign() } throws: { isRefusal($0, .signingLinkLocked) }
            let signature = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(signature.failedAttempts == 5)
            #expect(signature.signedAt == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCertificateThatIsNotTheActorsOrNotValidRecordsNothing(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            let juana = try await EFirmaSigning.world.value.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03")
            await #expect { try await world.sign(with: juana) } throws: { isRefusal($0, .efirmaHolderMismatch) }
            await #expect { try await world.sign(key: juana.key, password: juana.password) } throws: { isRefusal($0, .efirmaKeyMismatch) }
            await #expect {
                try await world.sign(
                    with: EFirmaWorld.Holder(
                        certificate: Array("no es un certificado".utf8), key: try await EFirmaSigning.mariaFernanda.value.key,
                        password: try await EFirmaSigning.mariaFernanda.value.password))
            } throws: {
                isRefusal($0, .efirmaNotCertificate)
            }
            await #expect { try await world.sign(key: Array("no es una llave".utf8)) } throws: { isRefusal($0, .efirmaNotKey) }
            await #expect { try await world.sign(password: "") } throws: { isRefusal($0, .validationFailed) }

            let elsewhere = try await EFirmaWorld(authority: "AUTORIDAD CERTIFICADORA AJENA")
            let forged = try await elsewhere.issue(name: "MARÍA FERNANDA LÓPEZ CASTAÑEDA", rfc: "LOCM850412K7A", curp: "LOCM850412MJCPSR05")
            await #expect { try await world.sign(with: forged) } throws: { isRefusal($0, .efirmaUntrusted) }

            try await EFirmaSigning.record(rfc: nil, for: "lucia@datosabiertos-gdl.example", on: world.app)
            await #expect { try await world.sign("lucia@datosabiertos-gdl.example", with: EFirmaSigning.lucia.value) } throws: {
                isRefusal($0, .efirmaHolderMismatch)
            }

            world.clock.advance(by: 5 * 366 * 24 * 3600)
            await #expect { try await world.sign() } throws: { isRefusal($0, .efirmaNotValid) }

            let signatures = try await Signature.query(on: world.app.db).all()
            #expect(signatures.allSatisfy { $0.signedAt == nil && $0.failedAttempts == 0 && $0.efirmaCMS == nil && $0.certificateRFC == nil })
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "sign").count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutTrustedAuthoritiesNoEFirmaIsAccepted(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database, trusted: false) { world in
            await #expect { try await world.sign() } throws: { isRefusal($0, .efirmaUntrusted) }
            let signature = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(signature.signedAt == nil)
        }
    }
}
