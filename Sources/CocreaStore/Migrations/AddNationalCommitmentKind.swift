import FluentKit
import SQLKit

/// Mexico's fourth national plan has no axes, so "no axis" can no longer mean "is an axis": each entry
/// says what it is. Entries loaded before were axes exactly when they had no axis.
struct AddNationalCommitmentKind: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(NationalCommitment.schema).field("is_axis", .bool, .required, .sql(.default(false))).update()
        let sql = database as! any SQLDatabase
        try await sql.update(NationalCommitment.schema).set("is_axis", to: true).where("axis", .is, SQLLiteral.null).run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(NationalCommitment.schema).deleteField("is_axis").update()
    }
}
