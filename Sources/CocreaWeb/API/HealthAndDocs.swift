import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Vapor

/// `/healthz` (the database answered within the last second, `DatabaseProbe`), `/metrics` (see
/// `CocreaMetrics`) and the OpenAPI document the project writes by hand.
struct HealthAndDocs {
    let probe: DatabaseProbe
    /// The options' clock, kept here: the cheapest request should not look the options up.
    let now: @Sendable () -> Date

    func register(_ routes: RoutesBuilder) {
        CocreaMetrics.bootstrap()
        routes.secured(.GET, "healthz", policy: .open, use: health)
        // Open to the route policy; `CocreaMetrics.mayRead` decides who reads it.
        routes.secured(.GET, "metrics", policy: .open, use: metrics)
        routes.grouped("api", "v1").secured(.GET, "openapi.json", policy: .open, use: openAPI)
    }

    func health(req: Request, _: Authorized) async throws -> Response {
        // The database handle is made only when the probe runs: a fresh answer costs no more than a lock.
        try await probe.check(at: now(), logger: req.logger) {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SELECT 1").run()
        }
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
/// for that same probe rather than starting its own. A probe that fails fails them all (503). One that
/// takes longer than `timeout` (a half-open connection, a pool held by stuck statements) answers them all
/// 503 then, and every request until it ends is answered 503 at once: one stuck probe at a time, never
/// a pile of them. Once it ends, the next request probes again.
/// The decision: docs/decisions.md, "What /healthz proves".
final class DatabaseProbe: Sendable {
    static let freshness: TimeInterval = 1
    /// Under the pool's wait (10 s) and the statement timeout, and within the 2 s a load balancer or
    /// `Tests/support` gives `/healthz`, so a database that does not answer is reported while still asked.
    static let timeout = TimeAmount.seconds(2)

    private struct State {
        var answeredAt: Date?
        var inFlight: InFlight?
        /// Numbers the probes, so that a timer that fires as its probe ends cannot touch the next one.
        var started = 0

        /// A clock set back leaves an answer "from the future": not fresh.
        func isFresh(at now: Date) -> Bool {
            answeredAt.map { (0..<DatabaseProbe.freshness).contains(now.timeIntervalSince($0)) } ?? false
        }
    }

    private struct InFlight {
        let number: Int
        var waiting: [CheckedContinuation<Void, any Error>]
        /// It has taken longer than `timeout`.
        var overdue = false
    }

    private enum Turn {
        case answered, overdue, waiting
        case probing(Int)
    }

    private let state = NIOLockedValueBox(State())
    private let timeout: TimeAmount

    init(timeout: TimeAmount = DatabaseProbe.timeout) {
        self.timeout = timeout
    }

    func check(at now: Date, logger: Logger, _ probe: @escaping @Sendable () async throws -> Void) async throws {
        if state.withLockedValue({ $0.isFresh(at: now) }) { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let turn: Turn = state.withLockedValue { state in
                if state.isFresh(at: now) { return .answered }
                if state.inFlight?.overdue == true { return .overdue }
                if state.inFlight != nil {
                    state.inFlight!.waiting.append(continuation)
                    return .waiting
                }
                state.started += 1
                state.inFlight = InFlight(number: state.started, waiting: [continuation])
                return .probing(state.started)
            }
            switch turn {
            case .answered: continuation.resume()
            case .overdue: continuation.resume(throwing: CocreaError.databaseUnavailable)
            case .waiting: break
            case .probing(let number): start(number, probe, at: now, logger: logger)
            }
        }
    }

    private func start(_ number: Int, _ probe: @escaping @Sendable () async throws -> Void, at now: Date, logger: Logger) {
        let box = state
        let timeout = timeout
        Task {
            let timer = Task {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                let waiting = box.withLockedValue { state -> [CheckedContinuation<Void, any Error>] in
                    guard state.inFlight?.number == number else { return [] }
                    defer { state.inFlight = InFlight(number: number, waiting: [], overdue: true) }
                    return state.inFlight!.waiting
                }
                guard !waiting.isEmpty else { return }
                logger.error("health.probe_overdue", metadata: ["seconds": "\(Double(timeout.nanoseconds) / 1e9)"])
                for continuation in waiting { continuation.resume(throwing: CocreaError.databaseUnavailable) }
            }
            let result: Result<Void, any Error>
            do {
                try await probe()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            timer.cancel()
            let waiting = box.withLockedValue { state in
                if case .success = result { state.answeredAt = now }
                defer { state.inFlight = nil }
                return state.inFlight?.waiting ?? []
            }
            for continuation in waiting { continuation.resume(with: result) }
        }
    }
}
