import FluentKit

struct CreateDigestSends: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(DigestSend.schema)
            .id()
            .field("email", .string, .required)
            .field("week", .string, .required)
            .field("queued_at", .datetime, .required)
            .unique(on: "email", "week")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(DigestSend.schema).delete()
    }
}
