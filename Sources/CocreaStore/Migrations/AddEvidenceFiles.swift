import FluentKit

/// Progress reports may carry their evidence as an uploaded file, besides (or instead of) a link.
struct AddEvidenceFiles: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ActivityUpdate.schema).field("evidence_file_id", .uuid, .references(StoredFile.schema, "id")).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ActivityUpdate.schema).deleteField("evidence_file_id").update()
    }
}
