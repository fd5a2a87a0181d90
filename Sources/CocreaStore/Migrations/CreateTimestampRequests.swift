import FluentKit
import SQLKit

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
        // Every foreign key gets an index (ForeignKeyIndexTests); the loop looks for due, open requests.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "timestamp_requests_by_plan_version").on(TimestampRequest.schema).column("plan_version_id").run()
        try await sql.create(index: "timestamp_requests_by_signature").on(TimestampRequest.schema).column("signature_id").run()
        try await sql.create(index: "timestamp_requests_by_unstamped_file").on(TimestampRequest.schema).column("unstamped_file_id").run()
        try await sql.create(index: "timestamp_requests_by_due").on(TimestampRequest.schema).column("completed_at").column("next_attempt_at").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TimestampRequest.schema).delete()
    }
}
