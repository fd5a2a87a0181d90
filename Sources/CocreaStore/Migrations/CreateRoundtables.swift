import FluentKit

struct CreateRoundtables: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Roundtable.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("place", .string, .required)
            .field("stage", .string, .required)
            .field("invitation_sequence", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(Attendance.schema)
            .id()
            .field("roundtable_id", .uuid, .required, .references(Roundtable.schema, "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, "id", onDelete: .cascade))
            .field("presence", .string, .required)
            .field("represented_by", .string)
            .unique(on: "roundtable_id", "member_id")
            .create()
        try await database.schema(Intervention.schema)
            .id()
            .field("roundtable_id", .uuid, .required, .references(Roundtable.schema, "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references(Member.schema, "id", onDelete: .cascade))
            .field("dossier_item_id", .uuid, .references(DossierItem.schema, "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("recorded_by_user_id", .uuid, .references(User.schema, "id"))
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        for schema in [Intervention.schema, Attendance.schema, Roundtable.schema] {
            try await database.schema(schema).delete()
        }
    }
}
