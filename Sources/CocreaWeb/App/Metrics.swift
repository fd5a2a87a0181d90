import CocreaCore
import CocreaStore
import CocreaUseCases
import CoreMetrics
import Fluent
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// Prometheus metrics at `/metrics`. Every request is counted and timed by its route pattern
/// (`/api/v1/exercises/:exerciseID`, never the raw path; unknown paths as `vapor_route_undefined`) as
/// Vapor would, by `RequestMetrics`; the outbox, the signatures and the timestamp queue are read from the database at each scrape,
/// so every process of a PostgreSQL deployment reports the same totals.
enum CocreaMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// swift-metrics takes one backend per process, and tests make many applications in one.
    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static func bootstrap() {
        _ = bootstrapOnce
    }

    static let outbox = Dictionary(
        uniqueKeysWithValues: DeliveryState.allCases.map { state in
            (
                state,
                registry.makeGauge(
                    name: "cocrea_outbox_messages", labels: [("state", state.rawValue)],
                    help: "Correos en la bandeja de salida, por estado (pending + sending es la cola).")
            )
        })
    static let signatures = registry.makeGauge(
        name: "cocrea_signatures_signed",
        help: "Firmas electrónicas aplicadas a versiones del plan.")
    static let seals = registry.makeGauge(
        name: "cocrea_plan_versions_sealed",
        help: "Versiones del plan selladas con la firma de la instancia.")
    static let timestampsWaiting = registry.makeGauge(
        name: "cocrea_timestamp_requests", labels: [("state", "pending")],
        help: "Sellos de tiempo por obtener (pending) y fallidos que esperan a quien opera la instancia (failed).")
    static let timestampsFailed = registry.makeGauge(
        name: "cocrea_timestamp_requests", labels: [("state", "failed")],
        help: "Sellos de tiempo por obtener (pending) y fallidos que esperan a quien opera la instancia (failed).")

    /// The current figures from the database, then everything in Prometheus' text format.
    static func scrape(on db: any Database) async throws -> String {
        for state in DeliveryState.allCases {
            outbox[state]?.set(Double(try await Delivery.query(on: db).filter(\.$state == state).count()))
        }
        signatures.set(Double(try await Signature.query(on: db).filter(\.$signedAt != nil).count()))
        seals.set(Double(try await PlanVersion.query(on: db).filter(\.$sealedAt != nil).count()))
        timestampsWaiting.set(Double(try await TimestampRequest.query(on: db).filter(\.$completedAt == nil).count()))
        timestampsFailed.set(Double(try await TimestampRequest.query(on: db).filter(\.$completedAt != nil).filter(\.$lastError != nil).count()))
        return registry.emitToString()
    }

    /// Anyone with the configured token; without one, only a direct request from this machine, so
    /// that a reverse proxy on the same machine does not publish the metrics to the internet.
    static func mayRead(_ req: Request) -> Bool {
        if let token = req.options.metricsToken {
            guard let given = req.headers.bearerAuthorization?.token else { return false }
            return Hashing.sha256Hex(given) == Hashing.sha256Hex(token)
        }
        return req.comesDirectlyFromThisMachine
    }
}

/// Counts and times every request under the names and labels Vapor gives them (its own reporting is
/// off, see `configure`), with the recorders of each route and status made once: Vapor builds the
/// pattern's string and asks the registry for them at every request, a few per cent of `/healthz`.
/// Bounded: a route matched only for the methods it was registered with, and statuses are Cocrea's own.
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let route: ObjectIdentifier?
        let method: String
        let status: UInt
    }

    private struct Recorders {
        let requests: CoreMetrics.Counter
        let errors: CoreMetrics.Counter?
        let duration: CoreMetrics.Timer
    }

    private let recorders = NIOLockedValueBox([Key: Recorders]())

    func record(_ request: Request, status: UInt, nanoseconds: Int64) {
        let key = Key(route: request.route.map(ObjectIdentifier.init), method: request.route == nil ? "undefined" : request.method.rawValue, status: status)
        let found = recorders.withLockedValue { $0[key] } ?? make(key, for: request.route)
        found.requests.increment()
        found.errors?.increment()
        found.duration.recordNanoseconds(nanoseconds)
    }

    private func make(_ key: Key, for route: Route?) -> Recorders {
        let path = route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "vapor_route_undefined"
        let dimensions = [("method", key.method), ("path", path), ("status", key.status.description)]
        let made = Recorders(
            requests: CoreMetrics.Counter(label: "http_requests_total", dimensions: dimensions),
            errors: key.status >= 500 ? CoreMetrics.Counter(label: "http_request_errors_total", dimensions: dimensions) : nil,
            duration: CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds))
        recorders.withLockedValue { $0[key] = made }
        return made
    }
}
