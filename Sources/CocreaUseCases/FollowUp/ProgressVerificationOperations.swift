import CocreaCore
import CocreaStore
import FluentKit
import Foundation

package struct VerificationInput: Codable, Sendable {
    package var verdict: String?
    package var reason: String?

    package init(verdict: String? = nil, reason: String? = nil) {
        self.verdict = verdict
        self.reason = reason
    }
}

package struct VerificationAnswerInput: Codable, Sendable {
    package var answer: String?

    package init(answer: String? = nil) {
        self.answer = answer
    }
}

/// One step of a report's verification as the public sees it: who (name, sector, organization; never the
/// email), what and when.
package struct VerificationEntryDTO: Codable, Sendable {
    package var step: VerificationStep
    package var text: String
    package var name: String
    package var sector: Sector?
    package var organization: String
    package var at: Date

    package init(_ entry: VerificationEntry) {
        step = entry.step
        text = entry.text
        name = entry.name
        sector = entry.sector
        organization = entry.organization
        at = entry.at
    }
}

/// A report waiting for civil society's verdict, for the weekly digest and the follow-up page.
package struct PendingVerification: Sendable {
    package var exerciseID: UUID
    package var updateID: UUID
    package var commitment: String
    package var activity: String
    package var reportedBy: String
    package var reportedAt: Date
    package var progress: Int
    package var state: VerificationState
}

/// Seguimiento verificado: a civil-society member of the STL verifies each progress report, or observes it
/// with a reason that the reporter answers (`ProgressVerification` holds the rules).
package enum ProgressVerificationOperations {
    /// A civil-society member's verdict on a report of their exercise.
    package static func judge(
        _ input: VerificationInput, on updateID: UUID, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> ActivityUpdateDTO {
        guard context.access.allows(.verifyProgress) else { throw CocreaError.forbidden }
        var v = CocreaCore.Validator()
        let decision = ProgressVerification.validate(verdict: input.verdict, reason: input.reason, into: &v)
        try v.check()
        guard let decision else { throw CocreaError.validation(v.errors) }
        let step: VerificationStep = decision.verdict == .verified ? .verified : .observed
        return try await add(step, text: decision.reason, to: updateID, in: context, on: ctx) { update, state in
            try ProgressVerification.checkVerdict(on: state, reportedByThemselves: update.reporterUserID == context.user.id)
        }
    }

    /// The reporting side's answer to an observation (whoever may report progress in the exercise).
    package static func answer(
        _ input: VerificationAnswerInput, on updateID: UUID, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> ActivityUpdateDTO {
        guard context.access.allows(.reportProgress) else { throw CocreaError.forbidden }
        var v = CocreaCore.Validator()
        let answer = ProgressVerification.validateAnswer(input.answer, into: &v)
        try v.check()
        guard let answer else { throw CocreaError.validation(v.errors) }
        return try await add(.answered, text: answer, to: updateID, in: context, on: ctx) { _, state in
            try ProgressVerification.checkAnswer(on: state)
        }
    }

    private static func add(
        _ step: VerificationStep, text: String, to updateID: UUID, in context: ExerciseContext, on ctx: UseCaseContext,
        check: @escaping @Sendable (ActivityUpdate, VerificationState) throws -> Void
    ) async throws -> ActivityUpdateDTO {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let update = try await ActivityUpdate.query(on: tx).filter(\.$id == updateID).with(\.$activity, { $0.with(\.$commitment) }).first(),
                update.activity.commitment.$exercise.id == context.exerciseID
            else {
                throw CocreaError.notFound(.activity)
            }
            let before = try await entries(of: [updateID], on: tx)[updateID] ?? []
            try check(update, VerificationState.of(before.map(\.step)))
            let entry = VerificationEntry()
            entry.$update.id = updateID
            entry.position = before.count + 1
            entry.step = step
            entry.text = text
            entry.userID = try context.user.requireID()
            entry.name = context.member?.name ?? context.user.name
            entry.sector = context.member?.sector
            entry.organization = context.member?.organization ?? ""
            entry.at = now
            try await entry.create(on: tx)
            var file: StoredFile?
            if let fileID = update.$evidenceFile.id { file = try await StoredFile.find(fileID, on: tx) }
            let dto = ActivityUpdateDTO(
                update, evidenceFile: file.map { EvidenceFileDTO($0, update: update, exerciseID: context.exerciseID) }, verifications: before + [entry])
            try await audit.record(
                step.rawValue, entity: "activityUpdate", id: updateID, exercise: context.exerciseID,
                before: ["verification": VerificationState.of(before.map(\.step))], after: VerificationEntryDTO(entry), at: now)
            return dto
        }
    }

    /// Each report's verification steps, in the order they were taken.
    package static func entries(of updateIDs: [UUID], on db: Database) async throws -> [UUID: [VerificationEntry]] {
        guard !updateIDs.isEmpty else { return [:] }
        let rows = try await VerificationEntry.query(on: db).filter(\.$update.$id ~~ updateIDs).sort(\.$position).all()
        return Dictionary(grouping: rows, by: { $0.$update.id })
    }

    /// The latest report of every activity of the exercises' sealed plans that waits for a verdict (never
    /// verified, or answered after an observation): what civil society has to look at.
    package static func pending(in exerciseIDs: [UUID], at now: Date, on db: Database) async throws -> [PendingVerification] {
        var pending: [PendingVerification] = []
        for exerciseID in exerciseIDs {
            guard let progress = try? await ProgressOperations.publicProgress(of: exerciseID, at: now, on: db) else { continue }
            for commitment in progress.commitments {
                for activity in commitment.activities {
                    guard let last = activity.history.last, last.verification.awaitsVerification else { continue }
                    pending.append(
                        PendingVerification(
                            exerciseID: exerciseID, updateID: last.id, commitment: commitment.title, activity: activity.title,
                            reportedBy: last.reportedBy, reportedAt: last.reportedAt, progress: last.progress, state: last.verification))
                }
            }
        }
        return pending
    }
}
