import Foundation
import Logging

/// A long-lived task of the server (the outbox, the weekly digest, the live listener): one turn after
/// another until it is stopped. A turn that throws is logged and the next one waits a backoff that
/// doubles up to a bound, with jitter so that processes that failed together (a database restart) do
/// not come back together; no error ends the loop. `stop` returns within a bound even when a turn
/// hangs on a server that never answers.
public final class BackgroundLoop: @unchecked Sendable {
    public struct Backoff: Sendable {
        public var first: TimeInterval
        public var maximum: TimeInterval

        public init(first: TimeInterval = 1, maximum: TimeInterval = 60) {
            self.first = first
            self.maximum = maximum
        }

        /// For a part that fails only while the database is away (restarting, unreachable): a connection
        /// attempt every two seconds or so costs the database nothing, and the part is back within
        /// seconds of it, however long it was away.
        public static let databaseAway = Backoff(first: 0.5, maximum: 2)

        /// The wait after `failures` failed turns in a row: doubling from `first`, capped at `maximum`,
        /// then between 75 % and 125 % of that.
        public func delay(afterFailures failures: Int, jitter: Double = .random(in: 0.75...1.25)) -> TimeInterval {
            min(first * pow(2, Double(min(max(failures - 1, 0), 30))), maximum) * jitter
        }
    }

    /// How long `stop` waits for the turn in progress.
    public static let stopBound: TimeInterval = 10

    private let name: String
    private let logger: Logger
    private let backoff: Backoff
    private let failureLevel: Logger.Level
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    /// `failureLevel`: how a failed turn is logged (a warning where failing now and then is expected).
    public init(name: String, logger: Logger, backoff: Backoff = Backoff(), failureLevel: Logger.Level = .error) {
        self.name = name
        self.logger = logger
        self.backoff = backoff
        self.failureLevel = failureLevel
    }

    /// Runs `turn` until `stop`; each turn returns how many seconds to wait before the next.
    public func start(_ turn: @escaping @Sendable () async throws -> TimeInterval) {
        lock.withLock {
            guard task == nil else { return }
            task = Task { [name, logger, backoff, failureLevel] in
                var failures = 0
                while !Task.isCancelled {
                    let wait: TimeInterval
                    do {
                        wait = try await turn()
                        failures = 0
                    } catch {
                        if Task.isCancelled { return }
                        failures += 1
                        wait = backoff.delay(afterFailures: failures)
                        logger.log(
                            level: failureLevel, "\(name).turn_failed",
                            metadata: [
                                "error": "\(String(reflecting: error))", "failures": "\(failures)",
                                "retry_in_seconds": "\(Int(wait.rounded(.up)))",
                            ])
                    }
                    if wait > 0 {
                        do { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) } catch { return }
                    } else {
                        await Task.yield()
                    }
                }
            }
        }
    }

    /// Cancels the loop and waits for the turn in progress, at most `bound` seconds; says whether it ended.
    @discardableResult
    public func stop(within bound: TimeInterval = BackgroundLoop.stopBound) async -> Bool {
        guard
            let task = lock.withLock({
                defer { self.task = nil }
                return self.task
            })
        else { return true }
        task.cancel()
        let ended = await Self.wait(for: task, atMost: bound)
        if !ended {
            logger.warning("\(name).stop_timed_out", metadata: ["seconds": "\(bound)"])
        }
        return ended
    }

    /// Waits for `task` at most `seconds`; true when it ended in time. A task that does not end goes on alone.
    public static func wait(for task: Task<Void, Never>, atMost seconds: TimeInterval) async -> Bool {
        let gate = Gate()
        let ended = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            gate.set(continuation)
            gate.timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
                gate.resume(false)
            }
            Task {
                await task.value
                gate.resume(true)
            }
        }
        gate.timer?.cancel()
        return ended
    }

    /// Resumes a continuation once, whichever of the task and the timer comes first.
    private final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Bool, Never>?
        private var _timer: Task<Void, Never>?

        var timer: Task<Void, Never>? {
            get { lock.withLock { _timer } }
            set { lock.withLock { _timer = newValue } }
        }

        func set(_ continuation: CheckedContinuation<Bool, Never>) {
            lock.withLock { self.continuation = continuation }
        }

        func resume(_ value: Bool) {
            let continuation = lock.withLock {
                defer { self.continuation = nil }
                return self.continuation
            }
            continuation?.resume(returning: value)
        }
    }
}
