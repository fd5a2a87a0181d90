import CocreaDocuments
import CocreaMail
import CocreaStore
import CocreaUseCases
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import CocreaWeb

/// The databases every storage test runs against: a real SQLite file always, and the real
/// PostgreSQL server named by `COCREA_TEST_POSTGRES_URL` (required in CI).
public enum TestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public static var all: [TestDatabase] {
        let env = ProcessInfo.processInfo.environment
        if env["COCREA_TEST_POSTGRES_URL"]?.isEmpty == false { return [.sqlite, .postgres] }
        precondition(env["CI"] != "true", "CI must run the suite against PostgreSQL: set COCREA_TEST_POSTGRES_URL")
        return [.sqlite]
    }

    public var testDescription: String { rawValue }
}

/// A clock tests move by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = start
    }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    public func set(_ date: Date) {
        lock.lock()
        defer { lock.unlock() }
        current = date
    }
}

public enum TestPaths {
    /// The package root, found from this file's path.
    public static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// One signing identity for the whole test run, made once (static initialisation runs once).
    public static let signingDirectory: String = {
        let directory = temporaryDirectory("cocrea-signing")
        _ = try! InstanceIdentity.loadOrCreate(in: URL(fileURLWithPath: directory), commonName: "Cocrea · pruebas")
        return directory
    }()

    public static func temporaryDirectory(_ prefix: String = "cocrea") -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs `body` with a configured, migrated application on a fresh database of the given kind,
/// then drops that database (a SQLite file or a PostgreSQL schema). `surveyRateLimit` replaces the
/// product's limit of survey answers per client and minute (every test request comes from the same
/// address; 0 = no limit). `adjust` changes any other option before the application is configured.
public func withCocrea(
    _ database: TestDatabase, clock: TestClock = TestClock(), smtp: SMTPConfiguration? = nil,
    runOutboxWorker: Bool = false, retry: RetryPolicy = RetryPolicy(), surveyRateLimit: Int? = nil,
    adjust: (inout CocreaOptions) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let directory = TestPaths.temporaryDirectory()
    let schema = "t_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
    let location: StoreLocation
    switch database {
    case .sqlite:
        location = .sqlite(path: directory + "/cocrea.sqlite")
    case .postgres:
        let url = ProcessInfo.processInfo.environment["COCREA_TEST_POSTGRES_URL"]!
        location = .postgres(url: url, searchPath: schema)
    }
    var options = CocreaOptions(
        location: location, baseURL: "http://127.0.0.1:8080",
        mailFrom: MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local"),
        smtp: smtp, runOutboxWorker: runOutboxWorker, retry: retry, rootDirectory: TestPaths.root,
        signing: .directory(TestPaths.signingDirectory),
        now: { clock.now })
    if let surveyRateLimit { options.surveyRateLimit = surveyRateLimit }
    // Hundreds of applications run at once on two cores: a request or statement may wait far longer
    // than any would in production, and answering it 503 would fail a test that checks something else.
    // The tests of the bounds themselves set the product's or shorter ones.
    options.requestDeadline = .seconds(600)
    options.statementTimeout = .seconds(300)
    options.healthProbeTimeout = .seconds(300)
    options.connectionWaits = .init(connect: .seconds(60), sqlitePool: .seconds(300), postgresPool: .seconds(300))
    adjust(&options)
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try configure(app, options: options)
        // Real Bcrypt, at its lowest cost: dozens of accounts are made across the parallel tests.
        app.passwords.use(.bcrypt(cost: 4))
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
        }
        try await StoreSetup.migrate(app)
        try await body(app)
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
        }
        try await app.asyncShutdown()
    } catch {
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
        throw error
    }
    try? FileManager.default.removeItem(atPath: directory)
}
