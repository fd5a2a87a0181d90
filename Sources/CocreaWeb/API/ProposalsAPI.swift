import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

extension ProposalInput: Content {}
extension ModerationInput: Content {}
extension ProposalResponseInput: Content {}
extension ProposalReceiptDTO: Content {}
extension PublicProposalDTO: Content {}
extension ProposalDTO: Content {}

/// Citizen proposals through the API: anyone proposes while the consultation is open, the STL's
/// facilitation moderates and responds, anyone reads every proposal with its outcome.
struct ProposalsAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "public", "exercises", ":exerciseID", "proposals", policy: .open, use: submit)
        api.secured(.GET, "public", "exercises", ":exerciseID", "proposals", policy: .open, use: publicList)
        api.secured(.POST, "proposals", ":proposalID", "moderation", policy: .exercise(.facilitate), use: moderate)
        api.secured(.POST, "proposals", ":proposalID", "response", policy: .exercise(.facilitate), use: respond)
    }

    func submit(req: Request, _: Authorized) async throws -> Response {
        let receipt = try await ProposalOperations.submit(
            try req.content.decode(ProposalInput.self), to: req.parameters.get("exerciseID", as: UUID.self), client: req.clientAddress,
            on: req.useCases)
        return try await receipt.encodeResponse(status: .created, for: req)
    }

    /// Like the public exercise: anyone once it is public (and cached), a draft only for its members.
    func publicList(req: Request, _: Authorized) async throws -> Response {
        let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        let build = { try await ProposalOperations.publicList(of: exercise.requireID(), on: req.useCases).encodeResponse(for: req) }
        return isPublic ? try await req.application.publicCache.respond(to: req, build: build) : try await build()
    }

    func moderate(req: Request, authorized: Authorized) async throws -> ProposalDTO {
        try await ProposalOperations.moderate(
            req.parameters.get("proposalID", as: UUID.self), try req.content.decode(ModerationInput.self), in: authorized.requireExercise(),
            on: req.useCases)
    }

    func respond(req: Request, authorized: Authorized) async throws -> ProposalDTO {
        try await ProposalOperations.respond(
            req.parameters.get("proposalID", as: UUID.self), try req.content.decode(ProposalResponseInput.self), in: authorized.requireExercise(),
            on: req.useCases)
    }
}
