import CocreaStore
import CocreaUseCases
import Foundation
import Logging
import Testing

/// The server's long-lived tasks (outbox, weekly digest, live listener) never end on an error, and
/// stopping them takes a bounded time.
@Suite struct BackgroundLoopTests {
    private final class Turns: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        private var held: CheckedContinuation<Void, Never>?

        func next() -> Int {
            lock.withLock {
                count += 1
                return count
            }
        }
        var total: Int { lock.withLock { count } }

        /// A turn that hangs like a database that never answers (cancellation does not end it).
        func hang() async {
            await withCheckedContinuation { continuation in lock.withLock { held = continuation } }
        }

        func letGo() {
            lock.withLock {
                defer { held = nil }
                return held
            }?.resume()
        }
    }

    private struct DatabaseAway: Error {}

    private var quiet: Logger {
        var logger = Logger(label: "test.loop")
        logger.logLevel = .critical
        return logger
    }

    @Test func turnsThatThrowAreFollowedByMoreTurns() async throws {
        let turns = Turns()
        let loop = BackgroundLoop(name: "prueba", logger: quiet, backoff: .init(first: 0.02, maximum: 0.05))
        loop.start {
            if turns.next() <= 3 { throw DatabaseAway() }
            return 0.01
        }
        // A guard against hanging for ever, not a speed target: a loaded machine may take its time.
        let deadline = Date().addingTimeInterval(120)
        while turns.total < 6 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(turns.total >= 6, "three failed turns, then the loop went on")
        #expect(await loop.stop())
    }

    @Test(.timeLimit(.minutes(5))) func stopReturnsWithinItsBoundWhileATurnHangs() async throws {
        let turns = Turns()
        let loop = BackgroundLoop(name: "prueba", logger: quiet)
        loop.start {
            _ = turns.next()
            await turns.hang()
            return 0
        }
        while turns.total == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await loop.stop(within: 0.5) == false)
        // The turn hangs until `letGo`, never called before this: without the bound, stop would never
        // return and the test's time limit would fail it.
        turns.letGo()
    }

    @Test func backoffDoublesUpToItsBoundWithJitter() {
        let backoff = BackgroundLoop.Backoff(first: 1, maximum: 30)
        #expect(backoff.delay(afterFailures: 1, jitter: 1) == 1)
        #expect(backoff.delay(afterFailures: 4, jitter: 1) == 8)
        #expect(backoff.delay(afterFailures: 100, jitter: 1) == 30)
        #expect((22.5...37.5).contains(backoff.delay(afterFailures: 100)))
    }
}
