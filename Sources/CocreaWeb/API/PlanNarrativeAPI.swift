import CocreaCore
import CocreaUseCases
import Vapor

/// The PAL's narrative sections the STL writes: read by members, replaced whole by whoever edits the
/// commitments.
struct PlanNarrativeAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "exercises", ":exerciseID", "plan", "narrative", policy: .exercise(.viewWorkspace), use: read)
        api.secured(.PUT, "exercises", ":exerciseID", "plan", "narrative", policy: .exercise(.facilitate), use: replace)
    }

    func read(req: Request, authorized: Authorized) async throws -> PlanNarrative {
        try await PlanNarrativeOperations.read(authorized.requireExercise().exerciseID, on: req.useCases)
    }

    func replace(req: Request, authorized: Authorized) async throws -> PlanNarrative {
        try await PlanNarrativeOperations.save(try req.content.decode(PlanNarrativeInput.self), in: authorized.requireExercise(), on: req.useCases)
    }
}

extension PlanNarrative: Content {}
