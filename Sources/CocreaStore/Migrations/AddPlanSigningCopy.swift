import FluentKit
import SQLKit

/// The signing copy of a version: the PAL rendered once, when the first actor signs, with a field for
/// every initials box and every cell of the certificate page; each signature and the seal append an
/// incremental update to its newest revision, which this column names.
struct AddPlanSigningCopy: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(PlanVersion.schema).field("signing_file_id", .uuid, .references(StoredFile.schema, "id")).update()
        // Every foreign key gets an index (ForeignKeyIndexTests).
        let sql = database as! any SQLDatabase
        try await sql.create(index: "plan_versions_by_signing_file_id").on(PlanVersion.schema).column("signing_file_id").run()
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "plan_versions_by_signing_file_id").run()
        try await database.schema(PlanVersion.schema).deleteField("signing_file_id").update()
    }
}
