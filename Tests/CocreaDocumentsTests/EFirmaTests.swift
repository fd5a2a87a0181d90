import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The rules of an e.firma signature: the key opens only with its password, belongs to the certificate,
/// the certificate names the member, is within its validity and chains to the configured roots; a good
/// one makes a CAdES signature that OpenSSL verifies on its own.
@Suite struct EFirmaTests {
    static let world = SharedFixture { try await EFirmaWorld() }
    static let juana = SharedFixture { try await world.value.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03") }
    static let plan = Array("Plan de Acción Local de Gobierno Abierto de Jalisco 2026–2028, versión 3".utf8)

    static func sign(
        _ holder: EFirmaWorld.Holder, key: [UInt8]? = nil, password: String? = nil, rfc: String? = "PEGJ800101AB1", curp: String? = nil,
        trust: EFirmaTrust? = nil, at instant: Date = Date()
    ) async throws -> EFirma.Signature {
        var password = Array((password ?? holder.password).utf8)
        let anchors: EFirmaTrust
        if let trust { anchors = trust } else { anchors = try await world.value.trust }
        return try EFirma.sign(
            plan, certificate: holder.certificate, privateKey: key ?? holder.key, password: &password, rfc: rfc, curp: curp,
            trust: anchors, at: instant)
    }

    static func refusal(_ code: ErrorCode, _ attempt: () async throws -> Void) async {
        do {
            try await attempt()
            Issue.record("signed, though it should be refused with \(code.rawValue)")
        } catch let error as CocreaError {
            #expect(error.code == code.rawValue, "\(error.code): \(error.message)")
            #expect(!error.message.isEmpty)
        } catch {
            Issue.record("refused with \(error) instead of \(code.rawValue)")
        }
    }

    @Test func aGoodEFirmaMakesADetachedCAdESSignatureThatOpenSSLVerifies() async throws {
        let signature = try await Self.sign(Self.juana.value, curp: "PEGJ800101MJCRMN03")
        let verified = try await Self.world.value.opensslVerifies(signature.cms, over: Self.plan)
        #expect(verified.accepted, "\(verified.output)")
        let printed = try await Self.world.value.printed(signature.cms)
        #expect(printed.contains("signingCertificateV2"), "\(printed)")
        #expect(printed.contains("signingTime"), "\(printed)")
        #expect(printed.contains("sha256WithRSAEncryption") || printed.contains("rsaEncryption"), "\(printed)")
        #expect(printed.contains("eContent: <ABSENT>"), "a detached signature carries no content: \(printed)")
        #expect(signature.certificate.holderName == "JUANA PÉREZ GÓMEZ")
        #expect(signature.certificate.rfc == "PEGJ800101AB1")
        #expect(signature.certificate.curp == "PEGJ800101MJCRMN03")
        #expect(signature.certificate.issuerName == "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA")
    }

    @Test func theSignatureCoversTheContentAndNothingElse() async throws {
        let signature = try await Self.sign(Self.juana.value)
        var altered = Self.plan
        altered[altered.count - 1] ^= 0x01
        #expect(try await !Self.world.value.opensslVerifies(signature.cms, over: altered).accepted)
    }

    @Test func aWrongPasswordIsRefusedAndThePasswordBytesAreOverwritten() async throws {
        await Self.refusal(.efirmaPasswordWrong) { _ = try await Self.sign(Self.juana.value, password: "contraseña equivocada") }
        let (juana, trust) = (try await Self.juana.value, try await Self.world.value.trust)
        var password = Array("contraseña equivocada".utf8)
        _ = try? EFirma.sign(
            Self.plan, certificate: juana.certificate, privateKey: juana.key, password: &password, rfc: "PEGJ800101AB1", curp: nil, trust: trust,
            at: Date())
        #expect(password.allSatisfy { $0 == 0 })
    }

    @Test func someoneElsesKeyIsRefused() async throws {
        let pedro = try await Self.world.value.issue(name: "PEDRO RAMÍREZ LUNA", rfc: "RALP750315QW2", curp: "RALP750315HJCMND07", password: "Otra contraseña")
        await Self.refusal(.efirmaKeyMismatch) { _ = try await Self.sign(Self.juana.value, key: pedro.key, password: pedro.password) }
    }

    @Test func aCertificateOutsideItsValidityIsRefused() async throws {
        let shortLived = try await Self.world.value.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", days: 30)
        await Self.refusal(.efirmaNotValid) { _ = try await Self.sign(shortLived, at: Date().addingTimeInterval(31 * 86_400)) }
        await Self.refusal(.efirmaNotValid) { _ = try await Self.sign(shortLived, at: Date().addingTimeInterval(-86_400)) }
        await #expect(throws: Never.self) { try await Self.sign(shortLived, at: Date().addingTimeInterval(29 * 86_400)) }
    }

    @Test func aCertificateOfAnAuthorityNotConfiguredIsRefused() async throws {
        let elsewhere = try await EFirmaWorld(authority: "AUTORIDAD CERTIFICADORA AJENA")
        let impostor = try await elsewhere.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03")
        await Self.refusal(.efirmaUntrusted) { _ = try await Self.sign(impostor) }
        // Its intermediate configured without its root anchors nothing.
        let intermediateOnly = try await EFirmaTrust(pem: Self.world.value.rootPEM + elsewhere.intermediatePEM)
        await Self.refusal(.efirmaUntrusted) { _ = try await Self.sign(impostor, trust: intermediateOnly) }
    }

    @Test func aCertificateNamingSomeoneElseIsRefused() async throws {
        await Self.refusal(.efirmaHolderMismatch) { _ = try await Self.sign(Self.juana.value, rfc: "RALP750315QW2") }
        await Self.refusal(.efirmaHolderMismatch) { _ = try await Self.sign(Self.juana.value, rfc: "PEGJ800101AB1", curp: "RALP750315HJCMND07") }
        await Self.refusal(.efirmaHolderMismatch) { _ = try await Self.sign(Self.juana.value, rfc: nil, curp: nil) }
        await #expect(throws: Never.self) { try await Self.sign(Self.juana.value, rfc: "pegj800101ab1 ") }
    }

    @Test func filesThatAreNotACertificateOrAKeyAreRefused() async throws {
        let (juana, trust) = (try await Self.juana.value, try await Self.world.value.trust)
        var password = Array("x".utf8)
        let pdf = Array("%PDF-1.7\n".utf8)
        await Self.refusal(.efirmaNotCertificate) {
            _ = try EFirma.sign(
                Self.plan, certificate: pdf, privateKey: juana.key, password: &password, rfc: "PEGJ800101AB1", curp: nil, trust: trust, at: Date())
        }
        await Self.refusal(.efirmaNotKey) { _ = try await Self.sign(juana, key: pdf) }
        // The certificate given as the key, and a file far larger than any e.firma.
        await Self.refusal(.efirmaNotKey) { _ = try await Self.sign(juana, key: juana.certificate) }
        await Self.refusal(.efirmaNotCertificate) { _ = try EFirmaCertificate(der: juana.certificate + [UInt8](repeating: 0, count: 16 * 1024)) }
    }

    /// A certificate whose RSA key does not parse (the inner SEQUENCE of the key made a SET): refused,
    /// where swift-crypto's RSA parser would have freed the key twice and stopped the process.
    @Test func aCertificateWithAMalformedKeyIsRefusedWithoutHarm() async throws {
        var certificate = try await Self.juana.value.certificate
        let key: [UInt8] = [0x30, 0x82, 0x01, 0x0A, 0x02, 0x82, 0x01, 0x01]
        let start = try #require((0...(certificate.count - key.count)).first { Array(certificate[$0..<($0 + key.count)]) == key })
        certificate[start] = 0x31
        await Self.refusal(.efirmaNotCertificate) { _ = try EFirmaCertificate(der: certificate) }
    }

    /// A key names the cost of its own decryption; one that asks for more than any e.firma does is
    /// refused before that work is done.
    @Test func aKeyAskingForAnInordinateDecryptionCostIsRefusedUnopened() async throws {
        let costly = try await Self.world.value.issue(
            name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", encryption: ["-v2", "des3", "-iter", "1500000"])
        await Self.refusal(.efirmaNotKey) { _ = try await Self.sign(costly) }
        let scrypt = try await Self.world.value.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", encryption: ["-scrypt"])
        await Self.refusal(.efirmaNotKey) { _ = try await Self.sign(scrypt) }
    }

    @Test func aLegalPersonsCertificateNamesTheCompanyAndItsRepresentative() async throws {
        let company = try await Self.world.value.issue(
            name: "COOPERATIVA TEJIDOS DE LOS ALTOS SC DE RL DE CV", rfc: "CTA100512KJ7 / PEGJ800101AB1", curp: " / PEGJ800101MJCRMN03")
        let certificate = try EFirmaCertificate(der: company.certificate)
        #expect(certificate.rfcs == ["CTA100512KJ7", "PEGJ800101AB1"])
        #expect(certificate.rfc == "CTA100512KJ7")
        #expect(certificate.curps == ["PEGJ800101MJCRMN03"])
        #expect(certificate.names(rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03"))
        #expect(certificate.names(rfc: "CTA100512KJ7", curp: nil))
        #expect(!certificate.names(rfc: "RALP750315QW2", curp: nil))
    }

    @Test func trustWithoutARootIsRefused() async throws {
        let world = try await Self.world.value
        #expect(throws: CocreaError.self) { try EFirmaTrust(pem: world.intermediatePEM) }
        #expect(throws: CocreaError.self) { try EFirmaTrust(pem: "no es un certificado") }
        #expect(throws: CocreaError.self) { try EFirmaTrust(files: [world.directory.appendingPathComponent("no-existe.pem").path]) }
        let loaded = try EFirmaTrust(files: [
            world.directory.appendingPathComponent("root.pem").path, world.directory.appendingPathComponent("intermediate.pem").path,
        ])
        #expect(loaded.anchors.count == 1 && loaded.intermediates.count == 1)
    }
}
