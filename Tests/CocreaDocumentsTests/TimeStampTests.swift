import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// RFC 3161 trusted time: a token is taken only when it is over the request made (imprint and nonce)
/// and signed by a time-stamping certificate, and the seal carrying it stays valid for pdfsig and pyHanko.
@Suite struct TimeStampTests {
    static let world = try! EFirmaWorld()
    static let authority = try! TestTimestampAuthority(world: world)

    static func sealed() throws -> (Data, InstanceIdentity, String) {
        try PDFSealTests.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 3, signed: true)))
    }

    static func timestamped(_ pdf: Data) throws -> (Data, TimeStamp.Token) {
        let request = TimeStamp.Request(over: try PDFSeal.signatureValue(in: pdf))
        let token = try TimeStamp.token(from: authority.reply(to: request.der), for: request)
        return (try PDFSeal.addingTimestamp(token, to: pdf), token)
    }

    static func pyHanko(_ pdf: Data, trusting pems: [String]) throws -> (status: Int32, output: String) {
        let input = try PDFSealTests.file(pdf, "sellado.pdf")
        var arguments = ["pyhanko", "sign", "validate", "--pretty-print", "--no-revocation-check", "--trust-replace"]
        for pem in pems { arguments += ["--trust", try PDFSealTests.file(Data(pem.utf8), "confianza.pem").path] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments + [input.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aTimestampedSealIsValidForPdfsigAndPyHankoAndNamesItsAuthority() async throws {
        let (sealed, identity, certificatePEM) = try Self.sealed()
        let before = Date()
        let (stamped, token) = try Self.timestamped(sealed)
        #expect(stamped.count == sealed.count, "the token fills the reserved space, the byte range is unchanged")
        #expect(token.authority == TestTimestampAuthority.subject)
        #expect(abs(token.time.timeIntervalSince(before)) < 600)
        let report = try PDFSealTests.pdfsig(stamped)
        #expect(report.contains("Signature is Valid"), "\(report)")
        #expect(report.contains("Total document signed"), "\(report)")
        let hanko = try Self.pyHanko(stamped, trusting: [certificatePEM, Self.authority.rootPEM])
        #expect(hanko.status == 0, "\(hanko.output)")
        #expect(hanko.output.contains("The signature is judged VALID"), "\(hanko.output)")
        #expect(hanko.output.contains("Signature timestamp token"), "\(hanko.output)")
        #expect(!hanko.output.contains("not timestamped"), "\(hanko.output)")
        let verification = await PDFSeal.verify(stamped, trusting: identity.certificate)
        #expect(verification.authentic)
        #expect(verification.timestamp == token)
    }

    @Test func aSealWithoutTimestampReportsNone() async throws {
        let (sealed, identity, _) = try Self.sealed()
        let verification = await PDFSeal.verify(sealed, trusting: identity.certificate)
        #expect(verification.authentic)
        #expect(verification.timestamp == nil)
    }

    @Test func aTokenOverAnotherSignatureIsRefused() throws {
        let request = TimeStamp.Request(over: Array("la firma de este sello".utf8))
        let other = TimeStamp.Request(over: Array("la firma de otro documento".utf8))
        #expect(throws: TimeStamp.Failure.mismatch) {
            try TimeStamp.token(from: Self.authority.reply(to: other.der), for: request)
        }
    }

    @Test func aTokenForAnotherRequestOverTheSameSignatureIsRefused() throws {
        let value = Array("la firma de este sello".utf8)
        let request = TimeStamp.Request(over: value)
        let replayed = TimeStamp.Request(over: value)
        #expect(throws: TimeStamp.Failure.mismatch) {
            try TimeStamp.token(from: Self.authority.reply(to: replayed.der), for: request)
        }
    }

    @Test(arguments: [[], Array("<html>Servicio no disponible</html>".utf8), [0x30, 0x03, 0x02, 0x01, 0x02]])
    func anAnswerThatIsNotATokenIsRefused(_ answer: [UInt8]) throws {
        let request = TimeStamp.Request(over: Array("la firma de este sello".utf8))
        #expect(throws: TimeStamp.Failure.self) { try TimeStamp.token(from: answer, for: request) }
    }

    @Test func aTokenMovedToAnotherSealIsNotReportedAsItsTime() async throws {
        let (first, _, _) = try Self.sealed()
        let (_, token) = try Self.timestamped(first)
        let (second, identity, _) = try Self.sealed()
        let moved = try PDFSeal.addingTimestamp(token, to: second)
        let verification = await PDFSeal.verify(moved, trusting: identity.certificate)
        #expect(verification.authentic, "an unsigned attribute changes nothing the seal signed")
        #expect(verification.timestamp == nil)
    }
}
