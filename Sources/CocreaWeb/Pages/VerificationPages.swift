import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Verified progress on the plan page: each activity's latest report with where it stands with civil
/// society, the verdict form for civil-society members and the answer form for whoever reports.
struct VerificationPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "activity-updates", ":updateID", "verification",
            policy: .exercise(.verifyProgress), use: judge)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "activity-updates", ":updateID", "answer",
            policy: .exercise(.reportProgress), use: answer)
    }

    struct Section: Encodable, Sendable {
        var rows: [Row]
        var verdicts: [PlanPages.Choice]
    }

    struct Row: Encodable, Sendable {
        var updateId: String
        var commitment, activity, report, state: String
        var history: [String]
        /// A civil-society member who did not send it may give a verdict while it waits for one.
        var mayJudge: Bool
        var mayAnswer: Bool
    }

    /// The section of a sealed plan's page: the latest report of every activity reported on (`latest`, by activity).
    static func section(
        _ context: ExerciseContext, commitments: [CommitmentDTO], latest: [UUID: (update: ActivityUpdate, steps: [VerificationEntry])], words: Words,
        language: Language
    ) -> Section {
        let zone = context.exercise.zone
        let rows = commitments.flatMap { commitment in
            commitment.activities.compactMap { activity -> Row? in
                guard let id = activity.id, let (update, steps) = latest[id] else { return nil }
                let last = ActivityUpdateDTO(update, verifications: steps)
                let entry = PublicPages.HistoryEntry(last, in: zone, language: language)
                return Row(
                    updateId: last.id.uuidString.lowercased(), commitment: commitment.title, activity: activity.title,
                    report: words[
                        "planVerificationReport",
                        [
                            "date": words.dateTime(last.reportedAt, in: zone), "reportedBy": last.reportedBy, "status": last.status.label(language),
                            "progress": "\(last.progress)",
                        ]] + (last.note.isEmpty ? "" : " · \(last.note)"),
                    state: last.verification.label(language), history: entry.verifications,
                    mayJudge: context.access.allows(.verifyProgress) && last.verification != .verified && update.reporterUserID != context.user.id,
                    mayAnswer: context.access.allows(.reportProgress) && last.verification == .observed)
            }
        }
        return Section(rows: rows, verdicts: VerificationVerdict.allCases.map { PlanPages.Choice(value: $0.rawValue, label: $0.label(language)) })
    }

    struct VerdictForm: Content {
        var verdict: String?
        var reason: String?
    }

    struct AnswerForm: Content {
        var answer: String?
    }

    func judge(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let updateID = try req.parameters.require("updateID", as: UUID.self)
        let form = try req.content.decode(VerdictForm.self)
        return try await respond(context, field: "verdict-\(updateID.uuidString)", notice: "planVerdictRecorded", on: req) {
            _ = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: form.verdict, reason: form.reason), on: updateID, in: context, on: req.useCases)
        }
    }

    func answer(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let updateID = try req.parameters.require("updateID", as: UUID.self)
        let form = try req.content.decode(AnswerForm.self)
        return try await respond(context, field: "answer-\(updateID.uuidString)", notice: "planAnswerRecorded", on: req) {
            _ = try await ProgressVerificationOperations.answer(VerificationAnswerInput(answer: form.answer), on: updateID, in: context, on: req.useCases)
        }
    }

    /// The plan page again: with the notice, or with the refusal beside the form (nothing changed).
    private func respond(
        _ context: ExerciseContext, field: String, notice: String, on req: Request, _ action: () async throws -> Void
    ) async throws -> Response {
        do {
            try await action()
            return try await PlanPages().render(context, notice: req.words[notice], on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await PlanPages().render(
                context, errors: error.fieldErrors.isEmpty ? [FieldError(field: field, message: error.message(req.words))] : error.fieldErrors,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }
}
