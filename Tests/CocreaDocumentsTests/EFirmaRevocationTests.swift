import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The rules an OCSP answer must meet before it counts (issue 19): signed by a responder the issuer
/// delegated under the trusted roots, about the asked certificate, with the request's nonce, current;
/// and a CSD is told from an e.firma by the branch in its subject.
@Suite struct EFirmaRevocationTests {
    static let world = try! EFirmaWorld()
    static let responder = try! TestOCSPResponder(world: world)
    static let juana = try! world.issue(
        name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", ocspURL: "http://ocsp.ejemplo.gob.mx/ocsp")
    static let intermediate = EFirmaCertificate.certificates(concatenated: try! derOf(world.intermediatePEM))[0]

    static func derOf(_ pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }

    static func query(_ holder: EFirmaWorld.Holder) throws -> EFirmaRevocation.Query {
        try EFirmaRevocation.Query(certificate: holder.certificate, issuer: intermediate)
    }

    static func refused(_ attempt: () throws -> EFirmaRevocation.Answer) {
        #expect(throws: EFirmaRevocation.Unusable.self) { _ = try attempt() }
    }

    @Test func theCertificateNamesItsResponderAndAnEFirmaIsNoCSD() throws {
        let certificate = try EFirmaCertificate(der: Self.juana.certificate)
        #expect(certificate.ocspURL == "http://ocsp.ejemplo.gob.mx/ocsp")
        #expect(!certificate.isSealCertificate)
        let csd = try EFirmaCertificate(
            der: try Self.world.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", branch: "Matriz Zapopan").certificate)
        #expect(csd.isSealCertificate && csd.branchName == "Matriz Zapopan")
    }

    @Test func aGoodAnswerFromTheDelegatedResponderCountsAndARevokedOneGivesItsDate() throws {
        try Self.responder.know(Self.juana)
        let query = try Self.query(Self.juana)
        let answer = try EFirmaRevocation.answer(try Self.responder.reply(to: query.der), to: query, trust: try Self.world.trust, at: Date())
        #expect(answer.status == .good)

        let revokedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 5 * 86400).rounded(.down))
        let revokedHolder = try Self.world.issue(name: "PEDRO RUIZ SOTO", rfc: "RUSP7703153H2", curp: "RUSP770315HJCZTD08")
        try Self.responder.know(revokedHolder, revokedAt: revokedAt)
        let revokedQuery = try Self.query(revokedHolder)
        let revoked = try EFirmaRevocation.answer(try Self.responder.reply(to: revokedQuery.der), to: revokedQuery, trust: try Self.world.trust, at: Date())
        #expect(revoked.status == .revoked(on: revokedAt))

        let stranger = try Self.world.issue(name: "ANA LUNA DÍAZ", rfc: "LUDA9001014K1", curp: "LUDA900101MJCNZN01")
        let unknownQuery = try Self.query(stranger)
        #expect(
            try EFirmaRevocation.answer(try Self.responder.reply(to: unknownQuery.der), to: unknownQuery, trust: try Self.world.trust, at: Date()).status
                == .unknown)
    }

    @Test func anAnswerToAnotherRequestOrAboutAnotherCertificateDoesNotCount() throws {
        try Self.responder.know(Self.juana)
        let query = try Self.query(Self.juana)
        let earlier = try Self.query(Self.juana)
        // A genuine answer, but to an earlier request: its nonce is not this one's.
        Self.refused { try EFirmaRevocation.answer(try Self.responder.reply(to: earlier.der), to: query, trust: try Self.world.trust, at: Date()) }
        Self.refused { try EFirmaRevocation.answer(Array("<html>Mantenimiento</html>".utf8), to: query, trust: try Self.world.trust, at: Date()) }
        Self.refused { try EFirmaRevocation.answer([], to: query, trust: try Self.world.trust, at: Date()) }
    }

    @Test func anAnswerMadeInAdvanceWithoutTheNonceStandsOnItsDates() throws {
        try Self.responder.know(Self.juana)
        let query = try Self.query(Self.juana)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.juana.certificate).write(to: directory.appendingPathComponent("juana.der"))
        try Self.world.intermediatePEM.write(to: directory.appendingPathComponent("intermedia.pem"), atomically: true, encoding: .utf8)
        try EFirmaWorld.openssl(["x509", "-inform", "DER", "-in", "juana.der", "-out", "juana.pem"], in: directory)
        // A responder serving answers made in advance (RFC 5019) answers a request with no nonce.
        try EFirmaWorld.openssl(["ocsp", "-issuer", "intermedia.pem", "-cert", "juana.pem", "-no_nonce", "-reqout", "sin-nonce.req"], in: directory)
        let withoutNonce = try Array(Data(contentsOf: directory.appendingPathComponent("sin-nonce.req")))
        let answer = try EFirmaRevocation.answer(try Self.responder.reply(to: withoutNonce), to: query, trust: try Self.world.trust, at: Date())
        #expect(answer.status == .good)
    }

    @Test func anAnswerIsStaleOnceItsNextUpdatePassedAndUntrustedFromElsewhere() throws {
        try Self.responder.know(Self.juana)
        let query = try Self.query(Self.juana)
        let response = try Self.responder.reply(to: query.der)
        Self.refused { try EFirmaRevocation.answer(response, to: query, trust: try Self.world.trust, at: Date().addingTimeInterval(3 * 86400)) }
        // Another authority's roots: the responder chains to none of them.
        Self.refused { try EFirmaRevocation.answer(response, to: query, trust: try EFirmaWorld().trust, at: Date()) }
    }

    @Test func aResponderTheIssuerDidNotDelegateIsNotBelieved() throws {
        let impostor = try TestOCSPResponder(world: Self.world, signerExtensions: "extendedKeyUsage = clientAuth")
        try impostor.know(Self.juana)
        let query = try Self.query(Self.juana)
        Self.refused { try EFirmaRevocation.answer(try impostor.reply(to: query.der), to: query, trust: try Self.world.trust, at: Date()) }
    }

    @Test func theDSSHoldsEachCertificateOnceAndTheAnswersAfterTheFile() throws {
        let pdf = PlanPDF.render(PlanPDFTests.plan(commitments: 2))
        let answer = Array("respuesta OCSP".utf8)
        let stored = try PDFDSS.appending(
            certificates: [Self.juana.certificate, Self.intermediate, Self.juana.certificate], ocspResponses: [answer], to: pdf)
        #expect(stored.prefix(pdf.count) == pdf, "an incremental update: the original bytes stay")
        let contents = try PDFDSS.contents(of: stored)
        #expect(contents.certificates == [Self.juana.certificate, Self.intermediate])
        #expect(contents.ocspResponses == [answer])
        #expect(try PDFDSS.appending(certificates: [], ocspResponses: [], to: pdf) == pdf)
    }
}
