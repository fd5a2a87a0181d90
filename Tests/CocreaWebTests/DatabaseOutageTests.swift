import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// While the database is down or restarting, a request is answered within a stated bound with a 503
/// and `Retry-After` (something to retry), never a hang or a 500 (something broken).
@Suite struct DatabaseOutageTests {
    /// A hang fails by the time limit; how fast the answers come is for the benchmarks, not for a
    /// test on a loaded machine.
    @Test(.timeLimit(.minutes(3))) func anUnreachablePostgreSQLIsA503WithRetryAfter() async throws {
        // Nothing listens on port 1: every connection attempt is refused, as during a restart.
        let options = CocreaOptions(
            location: .postgres(url: "postgres://cocrea:cocrea@127.0.0.1:1/cocrea", searchPath: nil), baseURL: "http://127.0.0.1:8080",
            mailFrom: MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local"),
            smtp: nil, runOutboxWorker: false, rootDirectory: TestPaths.root, signing: .directory(TestPaths.signingDirectory))
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        do {
            try configure(app, options: options)
            for (path, token) in [("/api/v1/exercises", "token-de-prueba"), ("/api/v1/public/exercises/\(UUID())/progress", nil)] {
                let response = try await APIClient(app: app, token: token).send(.GET, path)
                #expect(response.status == .serviceUnavailable, "\(path): \(response.status) \(response.body.string)")
                #expect(response.body.string.contains("database_unavailable"))
                #expect(response.headers.first(name: .retryAfter) == "5")
            }
            let page = try await Browser(app: app).get("/public")
            #expect(page.status == .serviceUnavailable)
            #expect(page.body.string.contains("La base de datos no responde"))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Each PostgreSQL restart drops the live listener's connection. It listens again promptly every
    /// time, not after a backoff that grew with each earlier restart (before, the fifth drop in a row
    /// left the other servers' live events unheard for 12 to 20 s, and later ones for up to 37 s).
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func theLiveListenerListensAgainAfterEveryDroppedConnection(_ database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let channel = "cocrea_live_prueba_\(UUID().uuidString.prefix(8).lowercased())"
            let hub = RoundtableHub()
            let table = UUID()
            let subscription = hub.subscribe(table)
            let wakes = Wakes()
            let reader = Task { for await _ in subscription.stream { wakes.count() } }
            let listener = LiveListener(
                url: ProcessInfo.processInfo.environment["COCREA_TEST_POSTGRES_URL"]!,
                channel: channel, hub: hub)
            try await listener.didBootAsync(app)
            do {
                var dropped: Int?
                for drop in 0..<6 {
                    // A bound that only a reconnection without the grown backoff meets, not a speed target.
                    let backend = try await Self.eventually(within: 10, "listening again after \(drop) dropped connections") {
                        try await Self.listeningBackend(on: sql, channel: channel).flatMap { $0 == dropped ? nil : $0 }
                    }
                    // It hears another connection's NOTIFY (sent again until heard: the LISTEN may still be on its way).
                    let before = wakes.total
                    _ = try await Self.eventually(within: 10, "a notification heard after \(drop) dropped connections") {
                        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: table.uuidString))").run()
                        try await Task.sleep(for: .milliseconds(100))
                        return wakes.total > before ? true : nil
                    }
                    try await sql.raw("SELECT pg_terminate_backend(\(bind: backend)::int)").run()
                    dropped = backend
                }
            } catch {
                await listener.shutdownAsync(app)
                reader.cancel()
                throw error
            }
            await listener.shutdownAsync(app)
            hub.unsubscribe(subscription)
            reader.cancel()
        }
    }

    /// A restart closes the connection of a transaction between two of its statements. PostgresNIO
    /// never answers a statement written to a closed connection, so the write used to wait for ever,
    /// holding its pool connection (a few restarts used the pool up, and the survey intake stopped for
    /// good); it now ends as soon as the connection is gone, as a 503 to retry.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aWriteWhoseConnectionClosesMidTransactionEndsInsteadOfHanging(_ database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let failure = Failure()
            let write = Task {
                do {
                    try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                        struct Backend: Decodable { let pid: Int }
                        let backend = try #require(
                            try await (tx as! any SQLDatabase).raw("SELECT pg_backend_pid() AS pid")
                                .first(decoding: Backend.self))
                        // The server ends this transaction's connection, as a restart does, before its next statement.
                        try await sql.raw("SELECT pg_terminate_backend(\(bind: backend.pid)::int)").run()
                        _ = try await Self.eventually(within: 120, "the terminated backend gone") {
                            try await Self.backendExists(backend.pid, on: sql) ? nil : true
                        }
                        try await Task.sleep(for: .milliseconds(300))  // the client sees the connection close
                        try await (tx as! any SQLDatabase).raw("SELECT 1").run()
                    }
                } catch {
                    failure.error = error
                }
            }
            // A bound only an ending write meets, not a speed target: before, it never ended.
            #expect(await BackgroundLoop.wait(for: write, atMost: 300), "the write waits for a connection that is gone")
            let error = try #require(failure.error, "a write whose connection closed cannot succeed")
            #expect(ProblemMiddleware.problem(for: error).code == "database_unavailable", "\(String(reflecting: error))")
            // The pool got its connection back: writes go on.
            for _ in 0..<12 {
                try await app.writer.write(on: app.db, actor: .system) { tx, _ in try await (tx as! any SQLDatabase).raw("SELECT 1").run() }
            }
        }
    }

    /// A signed-in page whose database fails after the session was read but before the person was
    /// (a restart between the two) used to fail a second time while drawing its error page, which
    /// shows the person, and close the connection without an answer; the error page now goes without.
    @Test(arguments: TestDatabase.all)
    func theErrorPageIsAnsweredWhenThePersonCannotBeRead(_ database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            let email = fixture.members["facilitator"]!.email
            #expect(try await browser.signIn(email: email, password: Fixture.password).status == .seeOther)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("ALTER TABLE users RENAME TO users_away").run()
            let page = try await browser.get("/exercises")
            try await sql.raw("ALTER TABLE users_away RENAME TO users").run()
            #expect(page.status == .internalServerError)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains(CocreaError.internalError.message))
            #expect(!page.body.string.contains(email), "drawn without the person it could not read")
        }
    }

    private final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (any Error)?
        var error: (any Error)? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    private static func backendExists(_ pid: Int, on sql: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { let count: Int }
        return try await sql.raw("SELECT count(*)::int AS count FROM pg_stat_activity WHERE pid = \(bind: pid)")
            .first(decoding: Row.self)?.count ?? 0 > 0
    }

    private final class Wakes: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func count() { lock.withLock { value += 1 } }
        var total: Int { lock.withLock { value } }
    }

    /// The backend that LISTENs on `channel` (the listener's connection), if any.
    private static func listeningBackend(on sql: any SQLDatabase, channel: String) async throws -> Int? {
        struct Row: Decodable { let pid: Int }
        return try await sql.raw(
            """
            SELECT pid FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND query ILIKE 'LISTEN%' AND position(\(bind: channel) in query) > 0
            """
        ).first(decoding: Row.self)?.pid
    }

    private static func eventually<T>(
        within seconds: TimeInterval, _ what: String,
        _ probe: () async throws -> T?
    ) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let value = try await probe() { return value }
            guard Date() < deadline else { throw Timeout(what: what, seconds: seconds) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private struct Timeout: Error, CustomStringConvertible {
        let what: String
        let seconds: TimeInterval
        var description: String { "not \(what) within \(Int(seconds)) s" }
    }
}
