import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Publishing an exercise, announcing its roadmap, and the exercise as the public sees it.
struct PublicationAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "exercises", ":exerciseID", "publication", policy: .exercise(.facilitate), use: publish)
        api.secured(.PUT, "exercises", ":exerciseID", "roadmap", policy: .exercise(.facilitate), body: .collect(maxSize: "256kb"), use: replaceRoadmap)
        api.secured(.GET, "public", "exercises", ":exerciseID", policy: .open, use: publicExercise)
    }

    func publish(req: Request, authorized: Authorized) async throws -> PublicationDTO {
        try await PublicationOperations.publish(authorized.requireExercise(), on: req.useCases)
    }

    func replaceRoadmap(req: Request, authorized: Authorized) async throws -> [RoadmapEventDTO] {
        let context = authorized.requireExercise()
        let entries = try Roadmap.validate(try req.content.decode([Roadmap.Input].self))
        return try await PublicationOperations.replaceRoadmap(entries, in: context, on: req.useCases)
    }

    /// A draft is shown only to its members (never cached, since the cache is shared by everyone).
    func publicExercise(req: Request, _: Authorized) async throws -> Response {
        let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        let build = { try await PublicExerciseOperations.overview(of: exercise, on: req.useCases).encodeResponse(for: req) }
        return isPublic ? try await req.application.publicCache.respond(to: req, build: build) : try await build()
    }
}
