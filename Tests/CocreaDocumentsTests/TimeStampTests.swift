import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// RFC 3161 trusted time: a token is taken only when it is over the request made (imprint and nonce)
/// and signed by a time-stamping certificate, and the seal carrying it stays valid for pdfsig and pyHanko.
@Suite struct TimeStampTests {
    static let world = SharedFixture { try await EFirmaWorld() }
    static let authority = SharedFixture { try await TestTimestampAuthority(world: world.value) }
    static let trust = SharedFixture { try TimeStamp.Trust(pem: try await world.value.rootPEM) }

    static func sealed() throws -> (Data, InstanceIdentity, String) {
        try PDFSealTests.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 3, signed: true)))
    }

    static func timestamped(_ pdf: Data) async throws -> (Data, TimeStamp.Token) {
        let request = TimeStamp.Request(over: try PDFSeal.signatureValue(in: pdf))
        let token = try await TimeStamp.token(from: authority.value.reply(to: request.der), for: request, trusting: trust.value, at: Date())
        return (try PDFSeal.addingTimestamp(token, to: pdf), token)
    }

    static func pyHanko(_ pdf: Data, trusting pems: [String]) async throws -> (status: Int32, output: String) {
        let input = try PDFSealTests.file(pdf, "sellado.pdf")
        var arguments = ["sign", "validate", "--pretty-print", "--no-revocation-check", "--trust-replace"]
        for pem in pems { arguments += ["--trust", try PDFSealTests.file(Data(pem.utf8), "confianza.pem").path] }
        let validation = try await Tool.run("pyhanko", arguments + [input.path])
        return (validation.status, validation.combined)
    }

    @Test func aTimestampedSealIsValidForPdfsigAndPyHankoAndNamesItsAuthority() async throws {
        let (sealed, identity, certificatePEM) = try Self.sealed()
        let before = Date()
        let (stamped, token) = try await Self.timestamped(sealed)
        #expect(stamped.count == sealed.count, "the token fills the reserved space, the byte range is unchanged")
        #expect(token.authority == TestTimestampAuthority.subject)
        #expect(abs(token.time.timeIntervalSince(before)) < 600)
        let report = try await PDFSealTests.pdfsig(stamped)
        #expect(report.contains("Signature is Valid"), "\(report)")
        #expect(report.contains("Total document signed"), "\(report)")
        let hanko = try await Self.pyHanko(stamped, trusting: [certificatePEM, Self.authority.value.rootPEM])
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

    @Test func aTokenOverAnotherSignatureIsRefused() async throws {
        let request = TimeStamp.Request(over: Array("la firma de este sello".utf8))
        let other = TimeStamp.Request(over: Array("la firma de otro documento".utf8))
        await #expect(throws: TimeStamp.Failure.mismatch) {
            try await TimeStamp.token(from: Self.authority.value.reply(to: other.der), for: request, trusting: Self.trust.value, at: Date())
        }
    }

    @Test func aTokenForAnotherRequestOverTheSameSignatureIsRefused() async throws {
        let value = Array("la firma de este sello".utf8)
        let request = TimeStamp.Request(over: value)
        let replayed = TimeStamp.Request(over: value)
        await #expect(throws: TimeStamp.Failure.mismatch) {
            try await TimeStamp.token(from: Self.authority.value.reply(to: replayed.der), for: request, trusting: Self.trust.value, at: Date())
        }
    }

    @Test(arguments: [[], Array("<html>Servicio no disponible</html>".utf8), [0x30, 0x03, 0x02, 0x01, 0x02]])
    func anAnswerThatIsNotATokenIsRefused(_ answer: [UInt8]) async throws {
        let request = TimeStamp.Request(over: Array("la firma de este sello".utf8))
        await #expect(throws: TimeStamp.Failure.self) { try await TimeStamp.token(from: answer, for: request, trusting: Self.trust.value, at: Date()) }
    }

    @Test func aTokenMovedToAnotherSealIsNotReportedAsItsTime() async throws {
        let (first, _, _) = try Self.sealed()
        let (_, token) = try await Self.timestamped(first)
        let (second, identity, _) = try Self.sealed()
        let moved = try PDFSeal.addingTimestamp(token, to: second)
        let verification = await PDFSeal.verify(moved, trusting: identity.certificate)
        #expect(verification.authentic, "an unsigned attribute changes nothing the seal signed")
        #expect(verification.timestamp == nil)
    }

    /// The authority's answer as a server whose clock reads `clock` takes it; the authority's own
    /// clock is the machine's unless `offset` from the server's is given.
    static func answer(from authority: TestTimestampAuthority, offset: TimeInterval? = nil, clock: Date = Date()) async throws -> TimeStamp.Token {
        let request = TimeStamp.Request(over: Array("la firma del sello del PAL de Zapopan".utf8))
        let reply = try await authority.reply(to: request.der, at: offset.map { clock.addingTimeInterval($0) })
        return try await TimeStamp.token(from: reply, for: request, trusting: trust.value, at: clock)
    }

    /// An hour ahead of the machine: the authority's certificate, issued a moment ago, is valid ten
    /// minutes either side of it.
    static var serverClock: Date { Date().addingTimeInterval(3600) }

    @Test func aTokenFromAnAuthorityUnderAnotherRootIsRefused() async throws {
        let stranger = try await TestTimestampAuthority(world: Self.world.value, kind: .untrustedRoot)
        await #expect(throws: TimeStamp.Failure.untrusted) { try await Self.answer(from: stranger) }
    }

    @Test func aTokenSignedByACertificateWithoutTheTimeStampingUsageIsRefused() async throws {
        let codeSigner = try await TestTimestampAuthority(world: Self.world.value, kind: .withoutTimeStampingUsage)
        await #expect(throws: TimeStamp.Failure.untrusted) { try await Self.answer(from: codeSigner) }
    }

    @Test(arguments: [-600.0, 600.0])
    func aTokenTenMinutesFromTheServerClockIsRefused(_ offset: TimeInterval) async throws {
        do {
            _ = try await Self.answer(from: Self.authority.value, offset: offset, clock: Self.serverClock)
            Issue.record("a token \(offset) seconds off was taken")
        } catch let failure as TimeStamp.Failure {
            guard case .clockSkew = failure else { throw failure }
            #expect("\(failure)".contains("difiere más de 5 minutos del reloj del servidor"))
        }
    }

    @Test func aTokenAMinuteFromTheServerClockIsTaken() async throws {
        let clock = Self.serverClock
        #expect(abs(try await Self.answer(from: Self.authority.value, offset: -60, clock: clock).time.timeIntervalSince(clock.addingTimeInterval(-60))) < 1)
    }

    @Test func aProviderTokenWithItsFourCertificateChainIsTakenGivenOnlyTheRoot() async throws {
        let provider = try await TestTimestampAuthority(world: Self.world.value, kind: .providerChain)
        let token = try await Self.answer(from: provider)
        #expect(token.authority == TestTimestampAuthority.subject)
    }

    @Test func aDefinitiveRejectionIsToldFromABusyAuthority() async throws {
        let request = TimeStamp.Request(over: Array("la firma del sello".utf8))
        // TimeStampResp { PKIStatusInfo { rejection, failInfo badAlg } } and { rejection, failInfo systemFailure }.
        let badAlgorithm: [UInt8] = [0x30, 0x09, 0x30, 0x07, 0x02, 0x01, 0x02, 0x03, 0x02, 0x07, 0x80]
        let systemFailure: [UInt8] = [0x30, 0x0C, 0x30, 0x0A, 0x02, 0x01, 0x02, 0x03, 0x05, 0x06, 0x00, 0x00, 0x00, 0x40]
        await #expect(throws: TimeStamp.Failure.refused(status: 2, definitive: true)) {
            try await TimeStamp.token(from: badAlgorithm, for: request, trusting: Self.trust.value, at: Date())
        }
        await #expect(throws: TimeStamp.Failure.refused(status: 2, definitive: false)) {
            try await TimeStamp.token(from: systemFailure, for: request, trusting: Self.trust.value, at: Date())
        }
    }

    @Test func aSealWhoseTokenDoesNotFitIsRefusedSayingHowMuchItNeeds() async throws {
        let (sealed, _, _) = try Self.sealed()
        let room = TestTimestampAuthority.signatureRoom(in: sealed)
        let bloated = try await TestTimestampAuthority(world: Self.world.value, kind: .bloated(bytes: room))
        let request = TimeStamp.Request(over: try PDFSeal.signatureValue(in: sealed))
        let token = try await TimeStamp.token(from: bloated.reply(to: request.der), for: request, trusting: Self.trust.value, at: Date())
        do {
            _ = try PDFSeal.addingTimestamp(token, to: sealed)
            Issue.record("a token larger than the reserved room was written")
        } catch let tooLarge as PDFSeal.TimestampDoesNotFit {
            #expect(tooLarge.available == room)
            #expect(tooLarge.needed > tooLarge.available)
        }
    }
}
