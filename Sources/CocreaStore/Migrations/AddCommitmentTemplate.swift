import FluentKit
import SQLKit

/// The commitment template as plans are written (OGP values, 2030 Agenda targets, gender perspective,
/// co-responsible organisations, assumptions, budget) and each activity's start, deliverable and means
/// of verification. Nullable: commitments agreed before them read as before.
struct AddCommitmentTemplate: AsyncMigration {
    static let commitmentFields = [
        "ogp_values", "sdg_targets", "gender_perspective", "co_responsible", "assumptions", "budget_amount", "budget_source",
    ]
    static let activityFields = ["starts_on", "deliverable", "means_of_verification"]

    /// One column a statement: SQLite adds a single column per ALTER TABLE.
    func prepare(on database: Database) async throws {
        for field in Self.commitmentFields { try await database.schema(Commitment.schema).field(.string(field), .string).update() }
        for field in Self.activityFields { try await database.schema(Activity.schema).field(.string(field), .string).update() }
    }

    func revert(on database: Database) async throws {
        for field in Self.commitmentFields { try await database.schema(Commitment.schema).deleteField(.string(field)).update() }
        for field in Self.activityFields { try await database.schema(Activity.schema).deleteField(.string(field)).update() }
    }
}
