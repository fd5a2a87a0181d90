import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The administrator's view of every email: who, what, its state and its last error; and a way to
/// send again one that failed or was interrupted.
struct OutboxPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "admin", "deliveries", policy: .instanceAdministrator, use: list)
        pages.secured(.POST, "admin", "deliveries", ":deliveryID", "retry", policy: .instanceAdministrator, use: retry)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var toEmail: String
        var subject: String
        var kind: String
        var state: String
        var stateCode: String
        var attempts: Int
        var lastError: String?
        var createdAt: String
        var canRetry: Bool
    }

    struct Body: Encodable, Sendable {
        var rows: [Row]
    }

    func list(req: Request, _: Authorized) async throws -> Response {
        let language = req.language
        let zone = TimeZone(identifier: "America/Mexico_City")!
        let deliveries = try await OutboxOperations.recent(on: req.useCases)
        let rows = deliveries.map {
            Row(
                id: $0.id!, toEmail: $0.toEmail, subject: $0.subject, kind: $0.kind, state: $0.state.label(language),
                stateCode: $0.state.rawValue, attempts: $0.attempts, lastError: $0.lastError,
                createdAt: $0.createdAt.map { req.words.dateTime($0, in: zone) } ?? "",
                canRetry: $0.state == .failed || $0.state == .interrupted)
        }
        return try await Page.render(Templates.deliveries, title: req.words["outboxTitle"], Body(rows: rows), on: req)
    }

    func retry(req: Request, authorized: Authorized) async throws -> Response {
        let user = try authorized.requireUser()
        try await OutboxOperations.retry(req.parameters.get("deliveryID", as: UUID.self), by: AuditActor(user), on: req.useCases)
        return Page.redirect("/admin/deliveries")
    }
}
