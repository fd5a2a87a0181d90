import CocreaCore
import CocreaStore
import FluentKit
import Foundation

package struct PlanVersionDTO: Codable, Sendable {
    package var id: UUID?
    package var number: Int
    package var sha256: String
    package var frozenAt: Date

    package init(_ version: PlanVersion) {
        id = version.id
        number = version.number
        sha256 = version.sha256
        frozenAt = version.frozenAt
    }
}

/// Freezing the agreements into a PlanVersion: its canonical content and that content's SHA-256.
package enum PlanVersionOperations {
    /// The latest sealed version of an exercise's plan: what makes its follow-up public.
    package static func latestSealed(of exerciseID: UUID, on db: Database) async throws -> PlanVersion? {
        try await PlanVersion.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$sealedAt != nil)
            .sort(\.$number, .descending).first()
    }

    /// Every frozen version of an exercise's plan, oldest first.
    package static func versions(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [PlanVersion] {
        try await PlanVersion.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).sort(\.$number).all()
    }

    /// What a version holds: the exercise and its commitments with their activities, in a fixed order,
    /// and the STL's narrative sections when it wrote any (absent otherwise, so that versions frozen
    /// without them hash as before).
    package struct Content: Codable {
        package var exercise: ExerciseDTO
        package var commitments: [CommitmentDTO]
        package var narrative: PlanNarrative?

        package init(exercise: ExerciseDTO, commitments: [CommitmentDTO], narrative: PlanNarrative? = nil) {
            self.exercise = exercise
            self.commitments = commitments
            self.narrative = narrative
        }
    }

    /// A version's content read back: the commitments and activities as they were frozen, with their ids.
    package static func content(of version: PlanVersion) throws -> Content {
        try JSONDecoder().decode(Content.self, from: Data(version.content.utf8))
    }

    package static func freeze(_ context: ExerciseContext, on ctx: UseCaseContext) async throws -> (PlanVersion, created: Bool) {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let check = try await CommitmentOperations.check(context.exerciseID, on: tx)
            guard check.valid else {
                // Only R1 unmet: the plan is sound, the STL owes responses.
                if check.problems.allSatisfy({ $0.code == PlanCheck.proposalWithoutResponse }) {
                    throw CocreaError.proposalWithoutResponse(
                        try await ProposalOperations.unanswered(in: context.exerciseID, on: tx), problems: check.problems)
                }
                throw CocreaError.planInvalid(check.problems)
            }
            return try await freeze(context, at: now, on: tx, audit: audit)
        }
    }

    /// Rule of the reading: once a version is frozen, any edit of the agreements makes a new version
    /// (when the plan still meets the rules), whose conformity starts empty. Called inside the edit's
    /// transaction.
    package static func refreezeAfterEdit(_ context: ExerciseContext, at now: Date, on tx: Database, audit: AuditLog) async throws {
        guard try await PlanVersion.query(on: tx).filter(\.$exercise.$id == context.exerciseID).count() > 0,
            try await CommitmentOperations.check(context.exerciseID, on: tx).valid
        else { return }
        _ = try await freeze(context, at: now, on: tx, audit: audit)
    }

    /// The canonical content and its hash; a new version unless it equals the latest one.
    private static func freeze(_ context: ExerciseContext, at now: Date, on tx: Database, audit: AuditLog) async throws -> (PlanVersion, created: Bool) {
        let content = canonical(
            exercise: ExerciseDTO(context.exercise), commitments: try await CommitmentOperations.list(context.exerciseID, on: tx),
            narrative: try await PlanNarrativeOperations.read(context.exerciseID, on: tx))
        let sha256 = Hashing.sha256Hex(content)
        let latest = try await PlanVersion.query(on: tx).filter(\.$exercise.$id == context.exerciseID)
            .sort(\.$number, .descending).first()
        if let latest, latest.sha256 == sha256 { return (latest, false) }
        let version = PlanVersion()
        version.$exercise.id = context.exerciseID
        version.number = (latest?.number ?? 0) + 1
        version.content = content
        version.sha256 = sha256
        version.frozenAt = now
        try await version.create(on: tx)
        try await audit.created("planVersion", id: version.id, exercise: context.exerciseID, PlanVersionDTO(version))
        return (version, true)
    }

    /// The bytes a version's SHA-256 is taken over: the agreements in a fixed order and the narrative
    /// unless every section is empty, as canonical JSON.
    package static func canonical(exercise: ExerciseDTO, commitments: [CommitmentDTO], narrative: PlanNarrative = PlanNarrative()) -> String {
        let agreed = commitments.sorted { ($0.category.rawValue, $0.title) < ($1.category.rawValue, $1.title) }.map(agreement)
        return JSON.canonical(Content(exercise: exercise, commitments: agreed, narrative: narrative.isEmpty ? nil : narrative))
    }

    /// What was agreed, without what changes while it is carried out (progress, status, edit counters).
    private static func agreement(_ commitment: CommitmentDTO) -> CommitmentDTO {
        var agreed = commitment
        agreed.revision = 0
        agreed.ogpValues = commitment.ogpValues?.nonEmpty
        agreed.sdgTargets = commitment.sdgTargets?.nonEmpty
        agreed.genderPerspective = commitment.genderPerspective?.nonEmpty
        agreed.coResponsible = commitment.coResponsible?.nonEmpty
        agreed.assumptions = commitment.assumptions?.nonEmpty
        agreed.consultationFindings = commitment.consultationFindings?.nonEmpty
        agreed.requestTopicIds = commitment.requestTopicIds?.nonEmpty
        agreed.activities = commitment.activities.map { activity in
            var agreed = activity
            agreed.startsOn = activity.startsOn?.nonEmpty
            agreed.deliverable = activity.deliverable?.nonEmpty
            agreed.meansOfVerification = activity.meansOfVerification?.nonEmpty
            agreed.status = ActivityStatus.notStarted.rawValue
            agreed.progress = 0
            agreed.weight = activity.weight == 1 ? nil : activity.weight
            agreed.revision = 0
            return agreed
        }
        return agreed
    }
}

extension Collection {
    /// Nil when empty: what a frozen version leaves out, so that fields it did not have hash as before.
    fileprivate var nonEmpty: Self? { isEmpty ? nil : self }
}
