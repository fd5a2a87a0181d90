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

/// Trusted time (issue 19): with `COCREA_TSA_URL` set, the seal and each e.firma wait in a queue for
/// their RFC 3161 token; while the authority is down nothing is completed with the local clock, and once
/// it answers the seal is completed with its time, and only then can the PAL be sent.
@Suite struct TimestampQueueTests {
    static let authority = SharedFixture { try await TestTimestampAuthority(world: EFirmaSigning.world.value) }

    /// The authority behind HTTP on loopback (`service`, down to begin with); answering, it is
    /// `authority` at the time `time` gives (nil: the machine's own).
    final class Server: @unchecked Sendable {
        let service = LoopbackService(mode: .down)
        private let lock = NSLock()
        private var _authority: TestTimestampAuthority
        private var _time: (@Sendable () -> Date)?

        init(authority: TestTimestampAuthority) { _authority = authority }

        var mode: LoopbackService.Mode {
            get { service.mode }
            set { service.mode = newValue }
        }
        var authority: TestTimestampAuthority {
            get { lock.withLock { _authority } }
            set { lock.withLock { _authority = newValue } }
        }
        var time: (@Sendable () -> Date)? {
            get { lock.withLock { _time } }
            set { lock.withLock { _time = newValue } }
        }
    }

    static func run(_ database: TestDatabase, _ body: (EFirmaSigning, Server) async throws -> Void) async throws {
        let authority = try await Self.authority.value
        let server = Server(authority: authority)
        let answer: @Sendable ([UInt8]) async throws -> [UInt8] = { try await server.authority.reply(to: $0, at: server.time?()) }
        try await server.service.serving("tsa", mediaType: TimeStamp.responseMediaType, answer: answer) {
            try await EFirmaSigning.run(
                database,
                adjust: {
                    $0.timestampAuthorityURL = server.service.url
                    $0.timestampAuthorityRoots = [authority.rootFile.path]
                }
            ) { world in
                try await body(world, server)
            }
        }
    }

    static func signEveryone(_ world: EFirmaSigning) async throws {
        #expect(try await world.sign().sealed == false)
        let anyone = APIClient(app: world.app, token: nil)
        for person in world.setup.fixture.members.values where person.email != EFirmaSigning.institutionEmail {
            let token = try world.token(person.email)
            _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
            let code = try await SigningFlowTests.code(for: person.email, on: world.app)
            let answer = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
            #expect(answer.status == .ok, "\(answer.body.string)")
            #expect(try JSONDecoder.api.decode(SignedDTO.self, from: answer.body).sealed == false, "no seal before its timestamp")
        }
    }

    static func runQueue(_ world: EFirmaSigning) async throws -> TimestampOperations.Outcome {
        let ctx = try world.app.useCases
        return try await TimestampOperations.runDue(with: try #require(ctx.timestampAuthority), on: ctx)
    }

    @Test(arguments: TestDatabase.all)
    func theSealWaitsForTheAuthorityAndIsCompletedWithItsTimeOnce(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            try await Self.signEveryone(world)
            let facilitator = world.setup.facilitator
            let status = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await facilitator.send(.GET, world.setup.versionPath + "/signatures").body)
            #expect(status.sealed == false)
            #expect(status.sealPending)
            let browser = Browser(app: world.app)
            _ = try await browser.signIn(email: try #require(world.setup.fixture.members["facilitator"]).email, password: Fixture.password)
            let planPage = "/exercises/\(try #require(world.setup.fixture.exercise.id))/plan"
            #expect(try await browser.get(planPage).body.string.contains("Sellado pendiente de sello de tiempo"))
            #expect(try await Self.runQueue(world) == .init(completed: 0, postponed: 2), "the seal and the e.firma wait")
            server.mode = .garbage
            world.clock.advance(by: 3600)
            #expect(try await Self.runQueue(world) == .init(completed: 0, postponed: 2), "an answer that is not a token is not taken")
            let anyone = APIClient(app: world.app, token: nil)
            #expect(try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").status != .ok)
            let early = try await facilitator.send(.POST, world.setup.versionPath + "/distribution")
            #expect(early.status.code >= 400, "nothing to send before the seal is stamped")
            #expect(try await Delivery.query(on: world.app.db).filter(\.$kind == "sealedPlan").count() == 0)

            server.mode = .answering
            // The authority's clock a little behind the server's, within the five minutes allowed.
            server.time = { world.clock.now.addingTimeInterval(-200) }
            #expect(try await Self.runQueue(world) == .init(), "a refused attempt waits its backoff")
            world.clock.advance(by: 3600)
            #expect(try await Self.runQueue(world) == .init(completed: 2, postponed: 0))
            #expect(try await Self.runQueue(world) == .init(), "nothing is stamped twice")

            let version = try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db))
            let sealedAt = try #require(version.sealedAt)
            #expect(abs(sealedAt.timeIntervalSince(world.clock.now.addingTimeInterval(-200))) < 1, "sealed at the authority's time")
            #expect(abs(sealedAt.timeIntervalSince(world.clock.now)) > 100, "not at the server's clock")
            let sealed = Data(buffer: try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").body)
            let verification = await PDFSeal.verify(sealed, trusting: world.app.identity.certificate)
            #expect(verification.authentic)
            #expect(verification.timestamp?.authority == TestTimestampAuthority.subject)
            #expect(verification.timestamp.map { abs($0.time.timeIntervalSince(sealedAt)) < 1 } == true)
            let efirma = try await world.signature(EFirmaSigning.institutionEmail)
            #expect(TimeStamp.stamp(in: Array(try #require(efirma.efirmaCMS)))?.authority == TestTimestampAuthority.subject)
            let (headers, upload) = SigningFlowTests.multipart(sealed, name: "pal.pdf")
            let verified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: upload).body)
            #expect(verified.timestamp?.authority == TestTimestampAuthority.subject)
            // The seal does not cover its own /Contents: a copy whose padding there differs is still authentic,
            // and a token put there by anyone would be too, so only the file sealed here names its time.
            var copy = [UInt8](sealed)
            let contents = Array("/Contents <".utf8)
            let start = try #require((0...(copy.count - contents.count)).last { Array(copy[$0..<($0 + contents.count)]) == contents })
            let end = try #require(copy[start...].firstIndex(of: UInt8(ascii: ">")))
            copy[end - 1] = UInt8(ascii: "1")
            let (copyHeaders, copyUpload) = SigningFlowTests.multipart(Data(copy), name: "pal.pdf")
            let copyVerified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: copyHeaders, body: copyUpload).body)
            #expect(copyVerified.authentic, "the padding is outside what the seal signs")
            #expect(copyVerified.timestamp == nil, "a copy that is not the sealed file does not get its time vouched for")
            let signers = verified.signers
            #expect(signers.first { $0.method == "efirma" }?.timestamp?.authority == TestTimestampAuthority.subject)
            #expect(signers.filter { $0.method != "efirma" }.allSatisfy { $0.timestamp == nil }, "only an e.firma has a CMS to stamp")
            let verifier = Browser(app: world.app)
            try await verifier.get("/verify")
            let page = try await verifier.postMultipart(
                "/verify", fields: [], files: [(field: "file", name: "pal.pdf", type: "application/pdf", data: [UInt8](sealed))]
            ).body.string
            #expect(page.contains("Sello de tiempo RFC 3161 del sello: "), "\(page)")
            #expect(page.contains("(sello de tiempo: "), "the e.firma's own timestamp")
            let offline = try await VerificationOperations.offlineReport(file: sealed, certificatePEM: world.app.identity.certificatePEM)
            #expect(offline.report.contains("Sello de tiempo (sin comprobar; no lo cubre la firma): "), "\(offline.report)")
            #expect(offline.report.contains("autoridad \(TestTimestampAuthority.subject)"), "\(offline.report)")

            #expect(!(try await browser.get(planPage).body.string.contains("Sellado pendiente de sello de tiempo")))
            let sent = try await facilitator.send(.POST, world.setup.versionPath + "/distribution")
            #expect(sent.status.code < 300, "\(sent.body.string)")
            _ = try await facilitator.send(.POST, world.setup.versionPath + "/distribution")
            let mails = try await Delivery.query(on: world.app.db).filter(\.$kind == "sealedPlan").all()
            #expect(mails.count == world.setup.fixture.members.count, "one mail per actor, once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRequestWhoseSignatureLostItsCMSIsClosedSayingWhyInsteadOfClaimedForever(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            try await Self.signEveryone(world)
            let efirma = try await world.signature(EFirmaSigning.institutionEmail)
            efirma.efirmaCMS = nil
            try await efirma.save(on: world.app.db)
            server.mode = .answering
            server.time = { world.clock.now }
            #expect(try await Self.runQueue(world) == .init(completed: 1, abandoned: 1), "the seal is stamped, the e.firma has nothing to stamp")
            world.clock.advance(by: 600)
            #expect(try await Self.runQueue(world) == .init(), "a closed request is not claimed again")
            let request = try #require(try await TimestampRequest.query(on: world.app.db).filter(\.$signature.$id == efirma.id).first())
            #expect(request.completedAt != nil)
            #expect(request.lastError?.contains("CMS") == true)
        }
    }

    static func request(sealOf world: EFirmaSigning) async throws -> TimestampRequest {
        let version = try #require(world.setup.version.id)
        let seal = try await TimestampRequest.query(on: world.app.db).filter(\.$planVersion.$id == version)
            .filter(\.$signature.$id == nil).first()
        return try #require(seal)
    }

    @Test(arguments: TestDatabase.all)
    func tokensFromAnUntrustedAuthorityOrTenMinutesOffAreRefusedAndTriedAgainNeverCompletedWithTheLocalClock(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            try await Self.signEveryone(world)
            server.mode = .answering
            server.authority = try await TestTimestampAuthority(world: EFirmaSigning.world.value, kind: .untrustedRoot)
            #expect(try await Self.runQueue(world) == .init(postponed: 2))
            #expect(try await Self.request(sealOf: world).lastError?.contains("COCREA_TSA_CA") == true)

            world.clock.advance(by: 3600)
            server.authority = try await TestTimestampAuthority(world: EFirmaSigning.world.value, kind: .withoutTimeStampingUsage)
            server.time = { world.clock.now }
            #expect(try await Self.runQueue(world) == .init(postponed: 2), "a certificate that is not for time-stamping")

            world.clock.advance(by: 3600)
            server.authority = try await Self.authority.value
            server.time = { world.clock.now.addingTimeInterval(600) }
            #expect(try await Self.runQueue(world) == .init(postponed: 2), "an authority ten minutes ahead")
            let skewed = try await Self.request(sealOf: world)
            #expect(skewed.completedAt == nil)
            #expect(skewed.attempts == 3)
            #expect(skewed.lastError?.contains("difiere más de 5 minutos del reloj del servidor") == true, "\(skewed.lastError ?? "")")
            #expect(skewed.nextAttemptAt > world.clock.now, "it waits its backoff")
            #expect(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.sealedAt == nil)

            world.clock.advance(by: 3600)
            server.time = { world.clock.now.addingTimeInterval(-30) }
            #expect(try await Self.runQueue(world) == .init(completed: 2))
            let sealedAt = try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.sealedAt)
            #expect(abs(sealedAt.timeIntervalSince(world.clock.now.addingTimeInterval(-30))) < 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSealWhoseTokenCannotFitFailsOnceWithAnAlertUntilTheOperatorRetriesIt(database: TestDatabase) async throws {
        try await Self.run(database) { world, server in
            try await Self.signEveryone(world)
            server.mode = .answering
            server.time = { world.clock.now }
            let waiting = try #require(try await StoredFile.find(try await Self.request(sealOf: world).$unstampedFile.id, on: world.app.db))
            let room = TestTimestampAuthority.signatureRoom(in: waiting.data)
            server.authority = try await TestTimestampAuthority(world: EFirmaSigning.world.value, kind: .bloated(bytes: room))
            #expect(try await Self.runQueue(world) == .init(completed: 1, failed: 1), "the e.firma's CMS takes any size, the seal's PDF does not")
            let failed = try await Self.request(sealOf: world)
            #expect(failed.completedAt != nil)
            #expect(failed.lastError?.contains("no cabe en el espacio reservado") == true, "\(failed.lastError ?? "")")
            #expect(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.sealedAt == nil, "never sealed without its token")
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "timestampFailed").count() == 1)

            let status = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await world.setup.facilitator.send(.GET, world.setup.versionPath + "/signatures").body)
            #expect(status.timestampFailure?.reason == failed.lastError)
            let raw = try await world.setup.facilitator.send(.GET, world.setup.versionPath + "/signatures").body.string
            #expect(raw.contains("cocrea timestamps retry"), "the answer says what to do")
            let browser = Browser(app: world.app)
            _ = try await browser.signIn(email: try #require(world.setup.fixture.members["facilitator"]).email, password: Fixture.password)
            let planPage = "/exercises/\(try #require(world.setup.fixture.exercise.id))/plan"
            let page = try await browser.get(planPage).body.string
            #expect(page.contains("El sello de tiempo no pudo obtenerse"), "\(page)")
            #expect(!page.contains("Sellado pendiente de sello de tiempo"))
            let metrics = try await CocreaMetrics.scrape(on: world.app.db)
            #expect(metrics.contains(#"cocrea_timestamp_requests{state="failed"} 1"#), "\(metrics)")

            world.clock.advance(by: 24 * 3600)
            #expect(try await Self.runQueue(world) == .init(), "a request that cannot succeed is not asked for again")

            server.authority = try await Self.authority.value
            #expect(try await TimestampOperations.retryFailed(on: try world.app.useCases) == 1)
            #expect(try await TimestampOperations.retryFailed(on: try world.app.useCases) == 0, "nothing left failed")
            #expect(try await Self.runQueue(world) == .init(completed: 1))
            #expect(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.sealedAt != nil)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "retryTimestamp").count() == 1)
            let after = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await world.setup.facilitator.send(.GET, world.setup.versionPath + "/signatures").body)
            #expect(after.sealed)
            #expect(after.timestampFailure == nil)
        }
    }
}
