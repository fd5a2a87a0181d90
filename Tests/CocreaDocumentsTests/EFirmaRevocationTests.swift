import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The rules an OCSP answer must meet before it counts (issue 19): signed by a responder the issuer
/// delegated under the trusted roots, about the asked certificate, with the request's nonce, current;
/// and a CSD is told from an e.firma by the branch in its subject.
@Suite struct EFirmaRevocationTests {
    static let world = SharedFixture { try await EFirmaWorld() }
    static let responder = SharedFixture { try await TestOCSPResponder(world: world.value) }
    static let juana = SharedFixture {
        try await world.value.issue(
            name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", ocspURL: "http://ocsp.ejemplo.gob.mx/ocsp")
    }
    static let intermediate = SharedFixture { EFirmaCertificate.certificates(concatenated: try derOf(try await world.value.intermediatePEM))[0] }

    static func derOf(_ pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }

    static func query(_ holder: EFirmaWorld.Holder) async throws -> EFirmaRevocation.Query {
        try EFirmaRevocation.Query(certificate: holder.certificate, issuer: try await intermediate.value)
    }

    static func refused(_ attempt: () async throws -> EFirmaRevocation.Answer) async {
        await #expect(throws: EFirmaRevocation.Unusable.self) { _ = try await attempt() }
    }

    @Test func theCertificateNamesItsResponderAndAnEFirmaIsNoCSD() async throws {
        let (world, juana) = try await (Self.world.value, Self.juana.value)
        let certificate = try EFirmaCertificate(der: juana.certificate)
        #expect(certificate.ocspURL == "http://ocsp.ejemplo.gob.mx/ocsp")
        #expect(!certificate.isSealCertificate)
        let csd = try EFirmaCertificate(
            der: try await world.issue(name: "JUANA PÉREZ GÓMEZ", rfc: "PEGJ800101AB1", curp: "PEGJ800101MJCRMN03", branch: "Matriz Zapopan").certificate)
        #expect(csd.isSealCertificate && csd.branchName == "Matriz Zapopan")
    }

    @Test func aGoodAnswerFromTheDelegatedResponderCountsAndARevokedOneGivesItsDate() async throws {
        let (world, responder, juana) = try await (Self.world.value, Self.responder.value, Self.juana.value)
        try responder.know(juana)
        let query = try await Self.query(juana)
        let answer = try await EFirmaRevocation.answer(try responder.reply(to: query.der), to: query, trust: try world.trust, at: Date())
        #expect(answer.status == .good)

        let revokedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 5 * 86400).rounded(.down))
        let revokedHolder = try await world.issue(name: "PEDRO RUIZ SOTO", rfc: "RUSP7703153H2", curp: "RUSP770315HJCZTD08")
        try responder.know(revokedHolder, revokedAt: revokedAt)
        let revokedQuery = try await Self.query(revokedHolder)
        let revoked = try await EFirmaRevocation.answer(try responder.reply(to: revokedQuery.der), to: revokedQuery, trust: try world.trust, at: Date())
        #expect(revoked.status == .revoked(on: revokedAt))

        let stranger = try await world.issue(name: "ANA LUNA DÍAZ", rfc: "LUDA9001014K1", curp: "LUDA900101MJCNZN01")
        let unknownQuery = try await Self.query(stranger)
        #expect(
            try await EFirmaRevocation.answer(try responder.reply(to: unknownQuery.der), to: unknownQuery, trust: try world.trust, at: Date()).status
                == .unknown)
    }

    @Test func anAnswerToAnotherRequestOrAboutAnotherCertificateDoesNotCount() async throws {
        let (world, responder, juana) = try await (Self.world.value, Self.responder.value, Self.juana.value)
        try responder.know(juana)
        let query = try await Self.query(juana)
        let earlier = try await Self.query(juana)
        // A genuine answer, but to an earlier request: its nonce is not this one's.
        await Self.refused { try await EFirmaRevocation.answer(try responder.reply(to: earlier.der), to: query, trust: try world.trust, at: Date()) }
        await Self.refused { try EFirmaRevocation.answer(Array("<html>Mantenimiento</html>".utf8), to: query, trust: try world.trust, at: Date()) }
        await Self.refused { try EFirmaRevocation.answer([], to: query, trust: try world.trust, at: Date()) }
    }

    @Test func anAnswerMadeInAdvanceWithoutTheNonceStandsOnItsDates() async throws {
        let (world, responder, juana) = try await (Self.world.value, Self.responder.value, Self.juana.value)
        try responder.know(juana)
        let query = try await Self.query(juana)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(juana.certificate).write(to: directory.appendingPathComponent("juana.der"))
        try world.intermediatePEM.write(to: directory.appendingPathComponent("intermedia.pem"), atomically: true, encoding: .utf8)
        try await EFirmaWorld.openssl(["x509", "-inform", "DER", "-in", "juana.der", "-out", "juana.pem"], in: directory)
        // A responder serving answers made in advance (RFC 5019) answers a request with no nonce.
        try await EFirmaWorld.openssl(["ocsp", "-issuer", "intermedia.pem", "-cert", "juana.pem", "-no_nonce", "-reqout", "sin-nonce.req"], in: directory)
        let withoutNonce = try Array(Data(contentsOf: directory.appendingPathComponent("sin-nonce.req")))
        let answer = try await EFirmaRevocation.answer(try responder.reply(to: withoutNonce), to: query, trust: try world.trust, at: Date())
        #expect(answer.status == .good)
    }

    @Test func anAnswerIsStaleOnceItsNextUpdatePassedAndUntrustedFromElsewhere() async throws {
        let (world, responder, juana) = try await (Self.world.value, Self.responder.value, Self.juana.value)
        try responder.know(juana)
        let query = try await Self.query(juana)
        let response = try await responder.reply(to: query.der)
        await Self.refused { try EFirmaRevocation.answer(response, to: query, trust: try world.trust, at: Date().addingTimeInterval(3 * 86400)) }
        // Another authority's roots: the responder chains to none of them.
        await Self.refused { try await EFirmaRevocation.answer(response, to: query, trust: try EFirmaWorld().trust, at: Date()) }
    }

    @Test func aResponderTheIssuerDidNotDelegateIsNotBelieved() async throws {
        let (world, juana) = try await (Self.world.value, Self.juana.value)
        let impostor = try await TestOCSPResponder(world: world, signerExtensions: "extendedKeyUsage = clientAuth")
        try impostor.know(juana)
        let query = try await Self.query(juana)
        await Self.refused { try await EFirmaRevocation.answer(try impostor.reply(to: query.der), to: query, trust: try world.trust, at: Date()) }
    }

    @Test func theDSSHoldsEachCertificateOnceAndTheAnswersAfterTheFile() async throws {
        let (juana, intermediate) = try await (Self.juana.value, Self.intermediate.value)
        let pdf = try PlanPDF.render(PlanPDFTests.plan(commitments: 2))
        let answer = Array("respuesta OCSP".utf8)
        let stored = try PDFDSS.appending(
            certificates: [juana.certificate, intermediate, juana.certificate], ocspResponses: [answer], to: pdf)
        #expect(stored.prefix(pdf.count) == pdf, "an incremental update: the original bytes stay")
        let contents = try PDFDSS.contents(of: stored)
        #expect(contents.certificates == [juana.certificate, intermediate])
        #expect(contents.ocspResponses == [answer])
        #expect(try PDFDSS.appending(certificates: [], ocspResponses: [], to: pdf) == pdf)
    }
}
