import CocreaCore
import CocreaStore
import Vapor

/// Publishing an exercise and announcing its roadmap.
struct PublicationAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "exercises", ":exerciseID", "publication", policy: .exercise(.facilitate), use: publish)
        api.secured(.PUT, "exercises", ":exerciseID", "roadmap", policy: .exercise(.facilitate), body: .collect(maxSize: "256kb"), use: replaceRoadmap)
    }

    func publish(req: Request, authorized: Authorized) async throws -> PublicationDTO {
        try await PublicationOperations.publish(authorized.requireExercise(), on: req)
    }

    func replaceRoadmap(req: Request, authorized: Authorized) async throws -> [RoadmapEventDTO] {
        let context = authorized.requireExercise()
        let entries = try Roadmap.validate(try req.content.decode([Roadmap.Input].self))
        return try await PublicationOperations.replaceRoadmap(entries, in: context, on: req)
    }
}
