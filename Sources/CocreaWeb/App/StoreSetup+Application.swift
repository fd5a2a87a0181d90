import CocreaStore
import CocreaUseCases
import Fluent
import Foundation
import NIOCore
import Vapor

extension StoreSetup {
    /// Registers the database and the migrations on the application, and keeps its write path.
    public static func configure(
        _ app: Application, location: StoreLocation, statementTimeout: TimeAmount = statementTimeout,
        waits: ConnectionWaits = .production, now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        app.storage[WriterKey.self] = try configure(
            databases: app.databases, migrations: app.migrations, location: location, statementTimeout: statementTimeout, waits: waits,
            now: now)
    }

    /// Runs pending migrations.
    public static func migrate(_ app: Application) async throws {
        try await prepareForMigration(app.db, writer: app.writer)
        try await app.autoMigrate()
    }
}

struct WriterKey: StorageKey {
    typealias Value = Writer
}

extension Application {
    /// The one way to change data: a transaction, serialised on SQLite, with the audit trail at hand.
    public var writer: Writer {
        guard let writer = storage[WriterKey.self] else {
            fatalError("StoreSetup.configure(_:location:) must run before the writer is used.")
        }
        return writer
    }
}
