import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// One commitment as anyone reads it (`/public/commitments/{id}` and its API): where it came from,
/// its progress once the plan is sealed, and a form to follow it by email. Never a follower's address.
package struct PublicCommitmentReadDTO: Codable, Sendable {
    package var id: UUID
    package var exerciseId: UUID
    package var exerciseName: String
    package var title: String
    package var category: CommitmentCategory
    /// As the sealed plan agreed it; absent until the commitment is in a sealed plan.
    package var objective: String?
    package var progress: Int?
    package var completion: Completion?
    package var origin: CommitmentOriginDTO
}

package enum PublicCommitmentOperations {
    /// Any commitment of a public exercise: the proposals page already names every one its responses
    /// incorporated, so each has a page to be followed from before the plan is sealed.
    package static func read(_ commitmentID: UUID?, on ctx: UseCaseContext) async throws -> PublicCommitmentReadDTO {
        try await readWithZone(commitmentID, on: ctx).read
    }

    /// The read and the exercise's time zone, which the public page shows dates in.
    package static func readWithZone(_ commitmentID: UUID?, on ctx: UseCaseContext) async throws -> (read: PublicCommitmentReadDTO, zone: TimeZone) {
        let commitment = try await FollowerOperations.publicCommitment(commitmentID, on: ctx.db)
        let (id, exerciseID) = (try commitment.requireID(), commitment.$exercise.id)
        let sealed =
            try await PlanVersionOperations.latestSealed(of: exerciseID, on: ctx.db) == nil
            ? nil : try await ProgressOperations.publicProgress(of: exerciseID, at: ctx.now, on: ctx.db)
        let agreed = sealed?.commitments.first { $0.id == id }
        let live = CommitmentDTO(commitment, activities: [])
        let origin = try await CommitmentOrigins.origins(of: [live], in: exerciseID, for: .everyone, on: ctx.db)[id]
        let read = PublicCommitmentReadDTO(
            id: id, exerciseId: exerciseID, exerciseName: commitment.exercise.name, title: agreed?.title ?? commitment.title,
            category: agreed?.category ?? commitment.category, objective: agreed?.objective, progress: agreed?.progress, completion: agreed?.completion,
            origin: origin ?? CommitmentOriginDTO())
        return (read, commitment.exercise.zone)
    }

    /// The time zone of a public commitment's exercise.
    package static func zone(of commitmentID: UUID, on ctx: UseCaseContext) async throws -> TimeZone {
        try await FollowerOperations.publicCommitment(commitmentID, on: ctx.db).exercise.zone
    }
}
