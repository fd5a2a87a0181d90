import FluentKit

struct CreateProcurementPackages: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ProcurementPackage.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(Commitment.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("source_url", .string)
            .field("uri", .string, .required)
            .field("publisher", .string, .required)
            .field("published_date", .datetime, .required)
            .field("release_count", .int, .required)
            .field("releases", .string, .required)
            .field("added_by_user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("added_by", .string, .required)
            .field("added_at", .datetime, .required)
            // The same package twice on one commitment would list its processes twice.
            .unique(on: "commitment_id", "sha256")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ProcurementPackage.schema).delete()
    }
}
