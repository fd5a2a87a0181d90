import CocreaCore
import FluentKit
import FluentPostgresDriver
import Foundation

extension Database {
    /// Fluent's transaction, except that on PostgreSQL it ends as soon as its connection does.
    ///
    /// PostgresNIO drops a statement written to a connection the server has already closed (a restart,
    /// a crash, `pg_terminate_backend`) without ever answering it. A transaction whose connection
    /// closed between two of its statements would therefore wait for ever — Fluent's ROLLBACK too —
    /// holding its pool connection: after a few database restarts the pool is used up, and the survey
    /// intake, which writes one group at a time, stops for good. Here BEGIN, the body, COMMIT and
    /// ROLLBACK each end with `databaseUnavailable` once the connection has closed; the statement
    /// PostgresNIO never answers is left behind, and the pool gets its (closed) connection back.
    public func transactionEndingWithConnection<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "postgresql" else { return try await transaction(body) }
        return try await withConnection { db in
            guard let control = db as? any TransactionControlDatabase, let postgres = db as? any PostgresDatabase else {
                return try await db.transaction(body)
            }
            let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
            try await connection.untilClosed { try await control.beginTransaction().get() }
            let result: T
            do {
                result = try await connection.untilClosed { try await body(db) }
            } catch {
                if !connection.isClosed {
                    try? await connection.untilClosed { try await control.rollbackTransaction().get() }
                }
                throw error
            }
            try await connection.untilClosed { try await control.commitTransaction().get() }
            return result
        }
    }
}

extension PostgresConnection {
    /// `operation`'s outcome, or `databaseUnavailable` once this connection has closed. A statement
    /// answered just before the close is given a moment to report its own outcome first.
    fileprivate func untilClosed<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        let task = Task {
            do { outcome.resolve(.success(try await operation())) } catch { outcome.resolve(.failure(error)) }
        }
        let watch = ClosedConnections.shared.watch(self) {
            Task {
                try? await Task.sleep(for: .milliseconds(500))
                outcome.resolve(.failure(CocreaError.databaseUnavailable))
            }
        }
        defer { ClosedConnections.shared.unwatch(self, watch) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { outcome.wait(with: $0) }
        } onCancel: {
            task.cancel()
        }
    }
}

/// Resumes a continuation with whichever outcome comes first, whether it comes before or after the wait.
private final class FirstOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<T, any Error>?
    private var continuation: CheckedContinuation<T, any Error>?
    private var resumed = false

    func resolve(_ result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            guard outcome == nil else { return nil }
            outcome = result
            return takeContinuation()
        }
        waiting?.resume(with: result)
    }

    func wait(with continuation: CheckedContinuation<T, any Error>) {
        let ready: (CheckedContinuation<T, any Error>, Result<T, any Error>)? = lock.withLock {
            self.continuation = continuation
            guard let outcome, let waiting = takeContinuation() else { return nil }
            return (waiting, outcome)
        }
        if let (waiting, result) = ready { waiting.resume(with: result) }
    }

    private func takeContinuation() -> CheckedContinuation<T, any Error>? {
        guard !resumed, let continuation else { return nil }
        resumed = true
        self.continuation = nil
        return continuation
    }
}

/// Who waits for which connection to close: one close callback per connection however many
/// statements it runs (a callback per statement would pile up on a pooled connection for hours).
private final class ClosedConnections: @unchecked Sendable {
    static let shared = ClosedConnections()

    private struct Watched {
        let connection: PostgresConnection
        var waiters: [UUID: @Sendable () -> Void]
    }

    private let lock = NSLock()
    private var watched: [ObjectIdentifier: Watched] = [:]

    /// Calls `onClose` when `connection` closes (at once if it already has); returns the token for `unwatch`.
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> UUID {
        let token = UUID()
        let key = ObjectIdentifier(connection)
        let isFirst = lock.withLock {
            let isFirst = watched[key] == nil
            watched[key, default: Watched(connection: connection, waiters: [:])].waiters[token] = onClose
            return isFirst
        }
        if isFirst {
            connection.closeFuture.whenComplete { [self] _ in
                let waiters = lock.withLock { watched.removeValue(forKey: key)?.waiters.values.map { $0 } ?? [] }
                waiters.forEach { $0() }
            }
        }
        return token
    }

    func unwatch(_ connection: PostgresConnection, _ token: UUID) {
        lock.withLock { _ = watched[ObjectIdentifier(connection)]?.waiters.removeValue(forKey: token) }
    }
}
