import FluentKit
import SQLKit

/// The two sources of a commitment's origin the STL links besides its dossier problem: the survey
/// results it answers and the recurring information-request topics it answers. Nullable: commitments
/// agreed before them read, and their versions hash, as before.
struct AddCommitmentOrigins: AsyncMigration {
    static let fields = ["consultation_findings", "request_topic_ids"]

    /// One column a statement: SQLite adds a single column per ALTER TABLE.
    func prepare(on database: Database) async throws {
        for field in Self.fields { try await database.schema(Commitment.schema).field(.string(field), .string).update() }
    }

    func revert(on database: Database) async throws {
        for field in Self.fields { try await database.schema(Commitment.schema).deleteField(.string(field)).update() }
    }
}
