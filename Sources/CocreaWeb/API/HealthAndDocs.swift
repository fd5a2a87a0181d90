import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// `/healthz` (the database answered within the last second, `DatabaseProbe`), `/metrics` (see
/// `CocreaMetrics`) and the OpenAPI document the project writes by hand.
struct HealthAndDocs {
    let probe = DatabaseProbe()

    func register(_ routes: RoutesBuilder) {
        CocreaMetrics.bootstrap()
        routes.secured(.GET, "healthz", policy: .open, use: health)
        // Open to the route policy; `CocreaMetrics.mayRead` decides who reads it.
        routes.secured(.GET, "metrics", policy: .open, use: metrics)
        routes.grouped("api", "v1").secured(.GET, "openapi.json", policy: .open, use: openAPI)
    }

    func health(req: Request, _: Authorized) async throws -> Response {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        try await probe.check(at: req.now) { try await sql.raw("SELECT 1").run() }
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
    }

    func metrics(req: Request, _: Authorized) async throws -> Response {
        guard CocreaMetrics.mayRead(req) else { throw CocreaError.metricsForbidden }
        let text = try await CocreaMetrics.scrape(on: req.db)
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
            body: .init(string: text))
    }

    func openAPI(req: Request, _: Authorized) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw Abort(.internalServerError) }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }
}

/// What `/healthz` proves: the database answered `SELECT 1` at most `freshness` ago. A request finds a
/// fresh answer and returns at once; otherwise it runs the probe, and every request arriving meanwhile waits
/// for that same probe rather than starting its own. A probe that fails fails them all (503), one that
/// never ends leaves them to the request deadline (503), as a database asked by each request would.
/// The decision: docs/decisions.md, "What /healthz proves".
final class DatabaseProbe: Sendable {
    static let freshness: TimeInterval = 1

    private struct State {
        var answeredAt: Date?
        var running: Task<Void, any Error>?
    }

    private let state = NIOLockedValueBox(State())

    func check(at now: Date, _ probe: @escaping @Sendable () async throws -> Void) async throws {
        let box = state
        let running: Task<Void, any Error>? = box.withLockedValue { state in
            // A clock set back leaves an answer "from the future": not fresh.
            if let answeredAt = state.answeredAt, (0..<Self.freshness).contains(now.timeIntervalSince(answeredAt)) { return nil }
            if let running = state.running { return running }
            let task = Task {
                do {
                    try await probe()
                    box.withLockedValue { $0 = State(answeredAt: now, running: nil) }
                } catch {
                    box.withLockedValue { $0.running = nil }
                    throw error
                }
            }
            state.running = task
            return task
        }
        if let running { try await running.value }
    }
}
