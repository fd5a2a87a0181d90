import FluentKit

/// Signing and sealing a plan version: when signatures were requested, the paper copy signed by
/// hand (if any), and the sealed PAL with its file's SHA-256 (looked up by the verification page).
struct AddPlanSealing: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(PlanVersion.schema).field("signatures_requested_at", .datetime).update()
        try await database.schema(PlanVersion.schema).field("paper_file_id", .uuid, .references(StoredFile.schema, "id")).update()
        try await database.schema(PlanVersion.schema).field("sealed_file_id", .uuid, .references(StoredFile.schema, "id")).update()
        try await database.schema(PlanVersion.schema).field("sealed_sha256", .string).update()
        try await database.schema(PlanVersion.schema).field("sealed_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        for field in ["signatures_requested_at", "paper_file_id", "sealed_file_id", "sealed_sha256", "sealed_at"] {
            try await database.schema(PlanVersion.schema).deleteField(.key(.string(field))).update()
        }
    }
}
