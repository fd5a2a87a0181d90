import Foundation

/// The moment a request stops waiting for its handler. The web layer answers 503 when it passes and
/// leaves the handler behind; the writer then refuses to commit anything that handler started, so
/// a request told «nothing was saved» saved nothing, and work that outlives its request is undone.
/// A commit already sent when the deadline passes may or may not complete: that answer says so.
public final class RequestDeadline: @unchecked Sendable {
    /// The deadline of the request the current task works for; nil outside requests (CLI, workers).
    @TaskLocal public static var current: RequestDeadline?

    private let lock = NSLock()
    private var passed = false
    private var commits = 0

    public init() {}

    public var hasPassed: Bool { lock.withLock { passed } }

    /// Called just before a commit: false once the deadline has passed (roll back instead).
    public func mayCommit() -> Bool {
        lock.withLock {
            guard !passed else { return false }
            commits += 1
            return true
        }
    }

    /// Marks the deadline as passed; true when a commit had already been sent (its outcome is unknown).
    public func pass() -> Bool {
        lock.withLock {
            passed = true
            return commits > 0
        }
    }
}
