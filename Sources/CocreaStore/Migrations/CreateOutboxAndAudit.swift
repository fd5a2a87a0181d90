import FluentKit

struct CreateOutboxAndAudit: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Delivery.schema)
            .id()
            .field("exercise_id", .uuid, .references(Exercise.schema, "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("from_email", .string, .required)
            .field("to_email", .string, .required)
            .field("to_name", .string, .required)
            .field("subject", .string, .required)
            .field("message", .data, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("claimed_by", .string)
            .field("claimed_at", .datetime)
            .field("sent_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.schema(AuditEvent.schema)
            .id()
            .field("sequence", .int, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor_user_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .uuid)
            .field("exercise_id", .uuid)
            .field("before", .string)
            .field("after", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
        try await database.schema(Delivery.schema).delete()
    }
}
