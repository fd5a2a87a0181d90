import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Implementation tracking: progress reports on activities, and the public follow-up.
struct ProgressAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(
            .POST, "activities", ":activityID", "progress", policy: .exercise(.reportProgress),
            body: .collect(maxSize: "21mb"), use: report)
        api.secured(.GET, "public", "exercises", ":exerciseID", "progress", policy: .open, use: publicProgress)
        api.secured(.POST, "activity-updates", ":updateID", "verification", policy: .exercise(.verifyProgress), use: judge)
        api.secured(.POST, "activity-updates", ":updateID", "answer", policy: .exercise(.reportProgress), use: answer)
    }

    func judge(req: Request, authorized: Authorized) async throws -> ActivityUpdateDTO {
        let updateID = try req.parameters.require("updateID", as: UUID.self)
        return try await ProgressVerificationOperations.judge(
            try req.content.decode(VerificationInput.self), on: updateID, in: authorized.requireExercise(), on: req.useCases)
    }

    func answer(req: Request, authorized: Authorized) async throws -> ActivityUpdateDTO {
        let updateID = try req.parameters.require("updateID", as: UUID.self)
        return try await ProgressVerificationOperations.answer(
            try req.content.decode(VerificationAnswerInput.self), on: updateID, in: authorized.requireExercise(), on: req.useCases)
    }

    /// JSON, or multipart with the evidence file in the field `file`.
    func report(req: Request, authorized: Authorized) async throws -> Response {
        let activityID = try req.parameters.require("activityID", as: UUID.self)
        let (input, upload) = try ProgressForm.decode(req)
        let update = try await ProgressOperations.report(input, evidence: upload, on: activityID, in: authorized.requireExercise(), on: req.useCases)
        return try await update.encodeResponse(status: .created, for: req)
    }

    func publicProgress(req: Request, _: Authorized) async throws -> Response {
        guard let id = req.parameters.get("exerciseID", as: UUID.self) else { throw CocreaError.notFound(.exercise) }
        return try await req.application.publicCache.respond(to: req) {
            try await ProgressOperations.publicProgress(of: id, on: req.useCases).encodeResponse(for: req)
        }
    }
}
