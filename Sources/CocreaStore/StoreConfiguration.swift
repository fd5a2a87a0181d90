import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit

/// Where the data lives: a SQLite file by default, PostgreSQL when `DATABASE_URL` is set.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String, searchPath: String?)

    /// `DATABASE_URL` when set, else `$COCREA_DATA_DIR/cocrea.sqlite` (default directory ./data).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return .postgres(url: url, searchPath: nil)
        }
        let directory = environment["COCREA_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return .sqlite(path: (directory as NSString).appendingPathComponent("cocrea.sqlite"))
    }

    public var isSQLite: Bool {
        if case .sqlite = self { return true }
        return false
    }
}

public enum StoreSetup {
    public static let migrations: [any Migration] = [
        CreateAccounts(),
        CreateFluentSessions(),
        CreateExercises(),
        CreateRoundtables(),
        CreatePlan(),
        CreateOutboxAndAudit(),
        AddRoundtableCancellation(),
        AddReceiptReminderToken(),
        AddPlanSealing(),
        CreatePlanDistributions(),
        CreateRoundtableEvents(),
        CreateActivityUpdates(),
        CreateConsultation(),
        CreateProcurementPackages(),
        AddEvidenceFiles(),
        CreateDigestSends(),
        AddActivityWeights(),
        CreateWebSessions(),
        AddLookupIndexes(),
        AddExerciseSearchKey(),
        AddNationalCommitmentKind(),
        AddExercisePublication(),
        CreateRoadmap(),
        AddDossierVisibility(),
        AddWebSessionUser(),
        CreateProposals(),
        CreateCommitmentFollowers(),
        CompileProcurementAtWrite(),
        AddMemberIdentifiers(),
        AddCommitmentTemplate(),
        CreateVerificationEntries(),
        AddEFirmaSignatures(),
        CreateProgressReports(),
        CreatePlanNarratives(),
        CreateTimestampRequests(),
        AddCommitmentOrigins(),
        AddPlanSigningCopy(),
        AddEFirmaRevocation(),
        CreateWriteGeneration(),
    ]

    /// How long a request waits for a connection before it is answered 503 with Retry-After instead of
    /// hanging: while PostgreSQL restarts, at most 5 s to connect and 10 s for a pooled connection; the
    /// SQLite file's one connection per event loop, at most 30 s. Tests on a loaded machine wait longer:
    /// there a wait only guards a hang.
    public struct ConnectionWaits: Sendable {
        public var connect: TimeAmount
        public var sqlitePool: TimeAmount
        public var postgresPool: TimeAmount

        public init(connect: TimeAmount, sqlitePool: TimeAmount, postgresPool: TimeAmount) {
            self.connect = connect
            self.sqlitePool = sqlitePool
            self.postgresPool = postgresPool
        }

        public static let production = ConnectionWaits(connect: .seconds(5), sqlitePool: .seconds(30), postgresPool: .seconds(10))
    }

    /// How long one PostgreSQL statement may run (or wait for a lock) before the server cancels it:
    /// under the request deadline, so a query stuck behind a lock is cancelled by the database itself,
    /// its transaction rolled back, and the request answered 503 before the deadline gives up on it.
    public static let statementTimeout: TimeAmount = .seconds(25)

    /// Registers the database and the migrations, and returns the write path. `now` is the
    /// application's clock, which the audit trail's events take their time from.
    public static func configure(
        databases: Databases, migrations: Migrations, location: StoreLocation, statementTimeout: TimeAmount = statementTimeout,
        waits: ConnectionWaits = .production, now: @escaping @Sendable () -> Date = Date.init
    ) throws -> Writer {
        switch location {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            databases.use(
                .sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: waits.sqlitePool, sqlLogLevel: .trace),
                as: .sqlite)
        case .postgres(let url, let searchPath):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let searchPath { configuration.searchPath = [searchPath] }
            configuration.coreConfiguration.options.connectTimeout = waits.connect
            configuration.coreConfiguration.options.additionalStartupParameters = [
                ("statement_timeout", "\(statementTimeout.nanoseconds / 1_000_000)")
            ]
            databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: waits.postgresPool, sqlLogLevel: .trace),
                as: .psql)
        }
        for migration in self.migrations { migrations.add(migration) }
        return Writer(isSQLite: location.isSQLite, now: now)
    }

    /// Switches a SQLite file to WAL (persistent in the file) before its migrations run.
    public static func prepareForMigration(_ database: any Database, writer: Writer) async throws {
        if let sql = database as? any SQLDatabase, writer.isSQLite {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    }
}
