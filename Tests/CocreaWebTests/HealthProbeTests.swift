import CocreaCore
import CocreaTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// `/healthz` proves the database answered within the last second, asking it at most once a second
/// however often it is polled (docs/decisions.md, "What /healthz proves").
@Suite struct HealthProbeTests {
    @Test(arguments: TestDatabase.all)
    func healthzAsksTheDatabaseOnceASecondHoweverOftenItIsPolled(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let counter = QueryCounter.install(on: app)
            let balancer = Browser(app: app)
            /// The `SELECT 1` sent while `/healthz` is polled five times.
            func probes() async throws -> Int {
                let statements = try await counter.statements {
                    for _ in 0..<5 {
                        let status = try await balancer.get("/healthz").status
                        #expect(status == .ok)
                    }
                }
                return statements.filter { $0.contains("SELECT 1") }.count
            }
            let first = try await probes()
            clock.advance(by: 0.5)
            let halfASecondLater = try await probes()
            clock.advance(by: 0.5)
            let aSecondLater = try await probes()
            #expect(first == 1)
            #expect(halfASecondLater == 0, "an answer half a second old is fresh")
            #expect(aSecondLater == 1, "an answer a second old is not")
        }
    }

    @Test func aFailedProbeFailsItsRequestAndTheNextOneAsksAgain() async throws {
        let probe = DatabaseProbe()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        await #expect(throws: CocreaError.self) {
            try await probe.check(at: now, logger: Self.logger) { throw CocreaError.databaseUnavailable }
        }
        let answers = Answers()
        try await probe.check(at: now, logger: Self.logger) { await answers.count() }
        try await probe.check(at: now, logger: Self.logger) { await answers.count() }
        #expect(await answers.counted == 1, "the failure was not kept; the success that followed was")
    }

    @Test func aProbePastItsTimeoutFailsItsRequestsAndNoOtherStartsUntilItEnds() async throws {
        let probe = DatabaseProbe(timeout: .milliseconds(200))
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let answers = Answers()
        let (gate, letGo) = AsyncStream<Void>.makeStream()
        let stuck: @Sendable () async throws -> Void = {
            await answers.count()
            for await _ in gate {}
        }
        for _ in 0..<2 {
            await #expect { try await probe.check(at: now, logger: Self.logger, stuck) } throws: { isRefusal($0, .databaseUnavailable) }
        }
        #expect(await answers.counted <= 1, "a request while the probe is stuck starts none of its own")

        letGo.finish()
        let aSecondLater = now.addingTimeInterval(1)
        var answered = false
        // A bound on a hang, however loaded the machine; not a speed.
        let deadline = ContinuousClock.now + .seconds(120)
        while !answered && ContinuousClock.now < deadline {
            do {
                try await probe.check(at: aSecondLater, logger: Self.logger) { await answers.count() }
                answered = true
            } catch {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(answered, "once the stuck probe ended, a request probes again")
        #expect(await answers.counted == 2)
    }

    /// A `SELECT 1` that never reaches PostgreSQL (its connection went silent, as a half-open one does)
    /// answers `/healthz` 503 at the probe's own timeout, not at the request deadline; requests meanwhile
    /// get the same answer without sending a probe of their own, and once the stuck one ends the
    /// database is asked again.
    @Test(.enabled(if: TestDatabase.all.contains(.postgres)))
    func aProbeThatNeverHearsBackAnswers503AtItsTimeoutWithoutPilingUpProbes() async throws {
        let postgres = try #require(URLComponents(string: ProcessInfo.processInfo.environment["COCREA_TEST_POSTGRES_URL"] ?? ""))
        let relay = try StallingSMTPRelay.relay(toPort: postgres.port ?? 5432, stallingOn: "SELECT 1")
        defer { relay.stop() }
        let clock = TestClock()
        try await withCocrea(
            .postgres, clock: clock,
            adjust: {
                guard case .postgres(let url, let schema) = $0.location, var through = URLComponents(string: url) else { return }
                through.port = relay.port
                // In clear, so that the relay reads the statement it holds back.
                through.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
                $0.location = .postgres(url: through.string!, searchPath: schema)
                $0.healthProbeTimeout = .seconds(2)
            }
        ) { app in
            let started = ContinuousClock.now
            async let first = app.testing().sendRequest(.GET, "/healthz")
            async let second = app.testing().sendRequest(.GET, "/healthz")
            let answers = try await [first, second]
            let waited = ContinuousClock.now - started
            let later = try await app.testing().sendRequest(.GET, "/healthz")
            for answer in answers + [later] {
                #expect(answer.status == .serviceUnavailable, "\(answer.status)")
                #expect(answer.body.string.contains("data-code=\"database_unavailable\""))
                #expect(answer.headers.first(name: .retryAfter) == "5")
            }
            // The test app's request deadline is 600 s: half of it is a hang, however loaded the machine.
            #expect(waited < .seconds(300), "answered at the probe's timeout, not at the request deadline")
            #expect(relay.stalled == 1, "one probe stuck, whatever the number of requests")

            relay.release()
            clock.advance(by: 1)
            var status = HTTPStatus.serviceUnavailable
            for _ in 0..<1200 where status != .ok {
                status = try await app.testing().sendRequest(.GET, "/healthz").status
                if status != .ok { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == .ok, "once the stuck probe ended, the database is asked again")
        }
    }

    /// Quiet: the overdue probe these tests cause on purpose is logged as an error.
    private static let logger: Logger = {
        var logger = Logger(label: "cocrea.test.health")
        logger.logLevel = .critical
        return logger
    }()

    private actor Answers {
        var counted = 0
        func count() { counted += 1 }
    }
}
