import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// The live table for programs: its Server-Sent Events and the item the facilitator presents.
struct LiveAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "roundtables", ":roundtableID", "events", policy: .exercise(.viewWorkspace), use: Self.events)
        api.secured(.POST, "roundtables", ":roundtableID", "presentation", policy: .exercise(.facilitate), use: present)
    }

    struct PresentationInput: Content {
        var dossierItemId: UUID?
    }

    /// Every event after `Last-Event-ID` (or `?after=`), then live; shared by the API and the console page.
    @Sendable static func events(req: Request, authorized: Authorized) async throws -> Response {
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        let after = req.headers.first(name: "Last-Event-ID").flatMap { Int($0) } ?? req.query[Int.self, at: "after"] ?? 0
        return LiveStream.stream(table: try table.requireID(), after: max(after, 0), on: req.application)
    }

    func present(req: Request, authorized: Authorized) async throws -> RoundtableDTO {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        let input = try req.content.decode(PresentationInput.self)
        return RoundtableDTO(try await RoundtableOperations.present(input.dossierItemId, at: table, in: context, on: req.useCases))
    }
}
