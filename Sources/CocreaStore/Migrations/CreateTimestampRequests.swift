import FluentKit

struct CreateTimestampRequests: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(TimestampRequest.schema)
            .id()
            .field("plan_version_id", .uuid, .required, .references(PlanVersion.schema, "id", onDelete: .cascade))
            .field("signature_id", .uuid, .references(Signature.schema, "id", onDelete: .cascade))
            .field("unstamped_file_id", .uuid, .references(StoredFile.schema, "id"))
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_by", .string)
            .field("claimed_at", .datetime)
            .field("last_error", .string)
            .field("completed_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TimestampRequest.schema).delete()
    }
}
