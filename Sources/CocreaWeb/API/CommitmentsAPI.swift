import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Commitments and activities, with optimistic concurrency (`revision`), and the plan check.
struct CommitmentsAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "exercises", ":exerciseID", "commitments", policy: .exercise(.viewWorkspace), use: list)
        api.secured(.POST, "exercises", ":exerciseID", "commitments", policy: .exercise(.facilitate), use: create)
        api.secured(.GET, "commitments", ":commitmentID", policy: .exercise(.viewWorkspace), use: show)
        api.secured(.PUT, "commitments", ":commitmentID", policy: .exercise(.facilitate), use: update)
        api.secured(.DELETE, "commitments", ":commitmentID", policy: .exercise(.facilitate), use: delete)
        api.secured(.POST, "commitments", ":commitmentID", "activities", policy: .exercise(.facilitate), use: addActivity)
        api.secured(.PUT, "activities", ":activityID", policy: .exercise(.facilitate), use: updateActivity)
        api.secured(.DELETE, "activities", ":activityID", policy: .exercise(.facilitate), use: deleteActivity)
        api.secured(.GET, "exercises", ":exerciseID", "plan", "check", policy: .exercise(.viewWorkspace), use: check)
        api.secured(.GET, "exercises", ":exerciseID", "plan", "versions", policy: .exercise(.viewWorkspace), use: versions)
        api.secured(.POST, "exercises", ":exerciseID", "plan", "versions", policy: .exercise(.facilitate), use: freeze)
        api.secured(.GET, "plan-versions", ":planVersionID", "conformity", policy: .exercise(.viewWorkspace), use: conformity)
        api.secured(.POST, "plan-versions", ":planVersionID", "conformity", policy: .exercise(.stateConformity), use: stateConformity)
        api.secured(.POST, "plan-versions", ":planVersionID", "conformity", "close", policy: .exercise(.facilitate), use: closeConformity)
    }

    func list(req: Request, authorized: Authorized) async throws -> [CommitmentDTO] {
        try await CommitmentOperations.listWithOrigins(authorized.requireExercise().exerciseID, on: req.useCases)
    }

    func show(req: Request, authorized: Authorized) async throws -> CommitmentDTO {
        try await CommitmentOperations.readWithOrigin(try req.parameters.require("commitmentID", as: UUID.self), on: req.useCases)
    }

    func versions(req: Request, authorized: Authorized) async throws -> [PlanVersionDTO] {
        try await PlanVersionOperations.versions(of: authorized.requireExercise().exerciseID, on: req.useCases).map(PlanVersionDTO.init)
    }

    /// 201 with the new version, or 200 with the latest one when nothing changed since it was frozen.
    func freeze(req: Request, authorized: Authorized) async throws -> Response {
        let (version, created) = try await PlanVersionOperations.freeze(authorized.requireExercise(), on: req.useCases)
        return try await PlanVersionDTO(version).encodeResponse(status: created ? .created : .ok, for: req)
    }

    func conformity(req: Request, authorized: Authorized) async throws -> ConformityRecordDTO {
        let context = authorized.requireExercise()
        return try await ConformityOperations.record(
            of: try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), on: req.useCases)
    }

    func stateConformity(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let version = try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases)
        let statement = try await ConformityOperations.state(try req.content.decode(ConformityInput.self), on: version, in: context, on: req.useCases)
        return try await ConformityDTO(statement).encodeResponse(status: .created, for: req)
    }

    func closeConformity(req: Request, authorized: Authorized) async throws -> ConformityRecordDTO {
        let context = authorized.requireExercise()
        let closed = try await ConformityOperations.close(
            try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
            on: req.useCases)
        return try await ConformityOperations.record(of: closed, on: req.useCases)
    }

    func check(req: Request, authorized: Authorized) async throws -> Response {
        try req.answer(try await CommitmentOperations.check(authorized.requireExercise().exerciseID, on: req.useCases))
    }

    func create(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let commitment = try await CommitmentOperations.create(try req.content.decode(CommitmentInput.self), in: context, on: req.useCases)
        let response = try await CommitmentDTO(commitment, activities: []).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/commitments/\(commitment.id!)")
        return response
    }

    func update(req: Request, authorized: Authorized) async throws -> CommitmentDTO {
        let context = authorized.requireExercise()
        let input = try req.content.decode(CommitmentInput.self)
        return try await CommitmentOperations.update(try req.parameters.require("commitmentID", as: UUID.self), with: input, in: context, on: req.useCases)
    }

    func delete(req: Request, authorized: Authorized) async throws -> HTTPStatus {
        let context = authorized.requireExercise()
        try await CommitmentOperations.delete(
            try req.parameters.require("commitmentID", as: UUID.self),
            revision: try? req.query.get(Int.self, at: "revision"), in: context, on: req.useCases)
        return .noContent
    }

    func addActivity(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(ActivityInput.self)
        let commitmentID = try req.parameters.require("commitmentID", as: UUID.self)
        let activity = try await CommitmentOperations.addActivity(input, to: commitmentID, in: context, on: req.useCases)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
    }

    func updateActivity(req: Request, authorized: Authorized) async throws -> ActivityDTO {
        let input = try req.content.decode(ActivityInput.self)
        return try await CommitmentOperations.updateActivity(
            try req.parameters.require("activityID", as: UUID.self), with: input, in: authorized.requireExercise(), on: req.useCases)
    }

    func deleteActivity(req: Request, authorized: Authorized) async throws -> HTTPStatus {
        let context = authorized.requireExercise()
        try await CommitmentOperations.deleteActivity(
            try req.parameters.require("activityID", as: UUID.self), revision: try? req.query.get(Int.self, at: "revision"), in: context,
            on: req.useCases)
        return .noContent
    }
}
