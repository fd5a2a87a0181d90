import FluentKit

/// Civil society verifies progress reports: each verdict and answer is kept, and a report remembers the
/// account that sent it, so that nobody verifies their own (reports sent before this have none).
struct CreateVerificationEntries: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ActivityUpdate.schema).field("reporter_user_id", .uuid).update()
        try await database.schema(VerificationEntry.schema)
            .id()
            .field("activity_update_id", .uuid, .required, .references(ActivityUpdate.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("step", .string, .required)
            .field("text", .string, .required)
            .field("user_id", .uuid, .required)
            .field("name", .string, .required)
            .field("sector", .string)
            .field("organization", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "activity_update_id", "position")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(VerificationEntry.schema).delete()
        try await database.schema(ActivityUpdate.schema).deleteField("reporter_user_id").update()
    }
}
