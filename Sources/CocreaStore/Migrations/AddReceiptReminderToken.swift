import FluentKit

/// A reminder carries a fresh link; the first link keeps working beside it.
struct AddReceiptReminderToken: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Receipt.schema).field("reminder_token_hash", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Receipt.schema).deleteField("reminder_token_hash").update()
    }
}
