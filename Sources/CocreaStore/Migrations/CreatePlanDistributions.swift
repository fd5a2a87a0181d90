import FluentKit

struct CreatePlanDistributions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(PlanDistribution.schema)
            .id()
            .field("plan_version_id", .uuid, .required, .references(PlanVersion.schema, "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, "id", onDelete: .cascade))
            .field("delivery_id", .uuid, .required, .references(Delivery.schema, "id"))
            .field("created_at", .datetime)
            .unique(on: "plan_version_id", "member_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(PlanDistribution.schema).delete()
    }
}
