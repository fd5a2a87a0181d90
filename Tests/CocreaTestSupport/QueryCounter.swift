import Foundation
import Logging
import Vapor

/// Counts the SQL statements an application runs, read from the database drivers' own query log
/// ("Executing query", which both SQLite and PostgreSQL emit at trace level). Installed as the
/// application's logger, so every request's logger and database context share it.
public final class QueryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    /// Replaces `app.logger` with one that counts (and otherwise discards) what it is given.
    public static func install(on app: Application) -> QueryCounter {
        let counter = QueryCounter()
        var logger = Logger(label: "cocrea.test.queries") { _ in Handler(counter: counter) }
        logger.logLevel = .trace
        app.logger = logger
        return counter
    }

    /// The statements run while `body` ran.
    public func statements(during body: () async throws -> Void) async rethrows -> [String] {
        lock.withLock { statements.removeAll() }
        try await body()
        return lock.withLock { statements }
    }

    private func record(_ sql: String) {
        lock.withLock { statements.append(sql) }
    }

    private struct Handler: LogHandler {
        let counter: QueryCounter
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.message.description == "Executing query" else { return }
            counter.record(event.metadata?["sql"].map { "\($0)" } ?? "")
        }
    }
}
