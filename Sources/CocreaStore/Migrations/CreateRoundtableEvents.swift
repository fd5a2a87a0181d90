import FluentKit

/// The live table: its event log, the item being presented and the minutes' file.
struct CreateRoundtableEvents: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(RoundtableEvent.schema)
            .id()
            .field("sequence", .int, .required)
            .field("roundtable_id", .uuid, .required, .references(Roundtable.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("occurred_at", .datetime, .required)
            .unique(on: "sequence")
            .create()
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema(Roundtable.schema).field("presenting_item_id", .uuid, .references(DossierItem.schema, "id", onDelete: .setNull)).update()
        try await database.schema(Roundtable.schema).field("minutes_file_id", .uuid, .references(StoredFile.schema, "id")).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Roundtable.schema).deleteField("minutes_file_id").update()
        try await database.schema(Roundtable.schema).deleteField("presenting_item_id").update()
        try await database.schema(RoundtableEvent.schema).delete()
    }
}
