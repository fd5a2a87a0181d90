import FluentKit

struct CreateActivityUpdates: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ActivityUpdate.schema)
            .id()
            .field("activity_id", .uuid, .required, .references(Activity.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("progress", .int, .required)
            .field("note", .string, .required)
            .field("evidence_url", .string)
            .field("reported_by", .string, .required)
            .field("reported_at", .datetime, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ActivityUpdate.schema).delete()
    }
}
