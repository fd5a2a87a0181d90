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
        let exerciseID = authorized.requireExercise().exerciseID
        return try await CommitmentOrigins.withOrigins(try await CommitmentOperations.list(exerciseID, on: req.db), in: exerciseID, on: req.db)
    }

    func show(req: Request, authorized: Authorized) async throws -> CommitmentDTO {
        let id = try req.parameters.require("commitmentID", as: UUID.self)
        guard let commitment = try await Commitment.query(on: req.db).filter(\.$id == id).with(\.$activities).first() else {
            throw CocreaError.notFound(.commitment)
        }
        let read = CommitmentDTO(commitment, activities: commitment.activities)
        return try await CommitmentOrigins.withOrigins([read], in: commitment.$exercise.id, on: req.db)[0]
    }

    func versions(req: Request, authorized: Authorized) async throws -> [PlanVersionDTO] {
        try await PlanVersion.query(on: req.db).filter(\.$exercise.$id == authorized.requireExercise().exerciseID)
            .sort(\.$number).all().map(PlanVersionDTO.init)
    }

    /// 201 with the new version, or 200 with the latest one when nothing changed since it was frozen.
    func freeze(req: Request, authorized: Authorized) async throws -> Response {
        let (version, created) = try await PlanVersionOperations.freeze(authorized.requireExercise(), on: req.useCases)
        return try await PlanVersionDTO(version).encodeResponse(status: created ? .created : .ok, for: req)
    }

    func conformity(req: Request, authorized: Authorized) async throws -> ConformityRecordDTO {
        let context = authorized.requireExercise()
        return try await ConformityOperations.record(
            of: try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), on: req.db)
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
        return try await ConformityOperations.record(of: closed, on: req.db)
    }

    func check(req: Request, authorized: Authorized) async throws -> PlanCheckDTO {
        try await CommitmentOperations.check(authorized.requireExercise().exerciseID, on: req.db)
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
        let context = authorized.requireExercise()
        let input = try req.content.decode(ActivityInput.self)
        let revision = try CommitmentOperations.requireRevision(input.revision)
        let id = try req.parameters.require("activityID", as: UUID.self)
        let now = req.now
        return try await req.application.writer.write(on: req.db, actor: context.actor) { tx, audit in
            guard let activity = try await Activity.find(id, on: tx) else { throw CocreaError.notFound(.activity) }
            let before = ActivityDTO(activity)
            guard activity.revision == revision else {
                throw CommitmentOperations.conflict("esta actividad", current: before, submitted: input, revision: activity.revision)
            }
            try CommitmentOperations.apply(input, to: activity)
            activity.revision += 1
            try await activity.save(on: tx)
            try await audit.record("update", entity: "activity", id: activity.id, exercise: context.exerciseID, before: before, after: ActivityDTO(activity))
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
            return ActivityDTO(activity)
        }
    }

    func deleteActivity(req: Request, authorized: Authorized) async throws -> HTTPStatus {
        let context = authorized.requireExercise()
        let revision = try CommitmentOperations.requireRevision(try? req.query.get(Int.self, at: "revision"))
        let id = try req.parameters.require("activityID", as: UUID.self)
        let now = req.now
        try await req.application.writer.write(on: req.db, actor: context.actor) { tx, audit in
            guard let activity = try await Activity.find(id, on: tx) else { throw CocreaError.notFound(.activity) }
            let before = ActivityDTO(activity)
            guard activity.revision == revision else {
                throw CommitmentOperations.conflict("esta actividad", current: before, submitted: ["revision": revision], revision: activity.revision)
            }
            try await CommitmentOperations.refuseIfReported([id], "Esta actividad", on: tx)
            try await activity.delete(on: tx)
            try await audit.deleted("activity", id: id, exercise: context.exerciseID, before)
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
        }
        return .noContent
    }
}
