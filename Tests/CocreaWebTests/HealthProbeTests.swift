import CocreaCore
import CocreaTestSupport
import Foundation
import Testing
import Vapor

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
            try await probe.check(at: now) { throw CocreaError.databaseUnavailable }
        }
        let answers = Answers()
        try await probe.check(at: now) { await answers.count() }
        try await probe.check(at: now) { await answers.count() }
        #expect(await answers.counted == 1, "the failure was not kept; the success that followed was")
    }

    private actor Answers {
        var counted = 0
        func count() { counted += 1 }
    }
}
