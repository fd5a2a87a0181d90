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
    static let trust = try! TimeStamp.Trust(pem: world.rootPEM)

    static func sealed() throws -> (Data, InstanceIdentity, String) {
        try PDFSealTests.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 3, signed: true)))
    }

    static func timestamped(_ pdf: Data) throws -> (Data, TimeStamp.Token) {
        let request = TimeStamp.Request(over: try PDFSeal.signatureValue(in: pdf))
        let token = try TimeStamp.token(from: authority.reply(to: request.der), for: request, trusting: trust, at: Date())
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
            try TimeStamp.token(from: Self.authority.reply(to: other.der), for: request, trusting: Self.trust, at: Date())
        }
    }

    @Test func aTokenForAnotherRequestOverTheSameSignatureIsRefused() throws {
        let value = Array("la firma de este sello".utf8)
        let request = TimeStamp.Request(over: value)
        let replayed = TimeStamp.Request(over: value)
        #expect(throws: TimeStamp.Failure.mismatch) {
            try TimeStamp.token(from: Self.authority.reply(to: replayed.der), for: request, trusting: Self.trust, at: Date())
        }
    }

    @Test(arguments: [[], Array("<html>Servicio no disponible</html>".utf8), [0x30, 0x03, 0x02, 0x01, 0x02]])
    func anAnswerThatIsNotATokenIsRefused(_ answer: [UInt8]) throws {
        let request = TimeStamp.Request(over: Array("la firma de este sello".utf8))
        #expect(throws: TimeStamp.Failure.self) { try TimeStamp.token(from: answer, for: request, trusting: Self.trust, at: Date()) }
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

    /// The authority's answer as a server whose clock reads `clock` takes it; the authority's own
    /// clock is the machine's unless `offset` from the server's is given.
    static func answer(from authority: TestTimestampAuthority, offset: TimeInterval? = nil, clock: Date = Date()) throws -> TimeStamp.Token {
        let request = TimeStamp.Request(over: Array("la firma del sello del PAL de Zapopan".utf8))
        let reply = try authority.reply(to: request.der, at: offset.map { clock.addingTimeInterval($0) })
        return try TimeStamp.token(from: reply, for: request, trusting: trust, at: clock)
    }

    /// An hour ahead of the machine: the authority's certificate, issued a moment ago, is valid ten
    /// minutes either side of it.
    static var serverClock: Date { Date().addingTimeInterval(3600) }

    @Test func aTokenFromAnAuthorityUnderAnotherRootIsRefused() throws {
        let stranger = try TestTimestampAuthority(world: Self.world, kind: .untrustedRoot)
        #expect(throws: TimeStamp.Failure.untrusted) { try Self.answer(from: stranger) }
    }

    @Test func aTokenSignedByACertificateWithoutTheTimeStampingUsageIsRefused() throws {
        let codeSigner = try TestTimestampAuthority(world: Self.world, kind: .withoutTimeStampingUsage)
        #expect(throws: TimeStamp.Failure.untrusted) { try Self.answer(from: codeSigner) }
    }

    @Test(arguments: [-600.0, 600.0])
    func aTokenTenMinutesFromTheServerClockIsRefused(_ offset: TimeInterval) throws {
        do {
            _ = try Self.answer(from: Self.authority, offset: offset, clock: Self.serverClock)
            Issue.record("a token \(offset) seconds off was taken")
        } catch let failure as TimeStamp.Failure {
            guard case .clockSkew = failure else { throw failure }
            #expect("\(failure)".contains("difiere más de 5 minutos del reloj del servidor"))
        }
    }

    @Test func aTokenAMinuteFromTheServerClockIsTaken() throws {
        let clock = Self.serverClock
        #expect(abs(try Self.answer(from: Self.authority, offset: -60, clock: clock).time.timeIntervalSince(clock.addingTimeInterval(-60))) < 1)
    }

    @Test func aProviderTokenWithItsFourCertificateChainIsTakenGivenOnlyTheRoot() throws {
        let provider = try TestTimestampAuthority(world: Self.world, kind: .providerChain)
        let token = try Self.answer(from: provider)
        #expect(token.authority == TestTimestampAuthority.subject)
    }

    @Test func aDefinitiveRejectionIsToldFromABusyAuthority() throws {
        let request = TimeStamp.Request(over: Array("la firma del sello".utf8))
        // TimeStampResp { PKIStatusInfo { rejection, failInfo badAlg } } and { rejection, failInfo systemFailure }.
        let badAlgorithm: [UInt8] = [0x30, 0x09, 0x30, 0x07, 0x02, 0x01, 0x02, 0x03, 0x02, 0x07, 0x80]
        let systemFailure: [UInt8] = [0x30, 0x0C, 0x30, 0x0A, 0x02, 0x01, 0x02, 0x03, 0x05, 0x06, 0x00, 0x00, 0x00, 0x40]
        #expect(throws: TimeStamp.Failure.refused(status: 2, definitive: true)) {
            try TimeStamp.token(from: badAlgorithm, for: request, trusting: Self.trust, at: Date())
        }
        #expect(throws: TimeStamp.Failure.refused(status: 2, definitive: false)) {
            try TimeStamp.token(from: systemFailure, for: request, trusting: Self.trust, at: Date())
        }
    }

    @Test func aSealWhoseTokenDoesNotFitIsRefusedSayingHowMuchItNeeds() throws {
        let (sealed, _, _) = try Self.sealed()
        let room = TestTimestampAuthority.signatureRoom(in: sealed)
        let bloated = try TestTimestampAuthority(world: Self.world, kind: .bloated(bytes: room))
        let request = TimeStamp.Request(over: try PDFSeal.signatureValue(in: sealed))
        let token = try TimeStamp.token(from: bloated.reply(to: request.der), for: request, trusting: Self.trust, at: Date())
        do {
            _ = try PDFSeal.addingTimestamp(token, to: sealed)
            Issue.record("a token larger than the reserved room was written")
        } catch let tooLarge as PDFSeal.TimestampDoesNotFit {
            #expect(tooLarge.available == room)
            #expect(tooLarge.needed > tooLarge.available)
        }
    }
}
