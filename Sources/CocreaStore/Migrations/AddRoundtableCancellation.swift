import FluentKit

/// A cancelled table keeps its row (and its invitations' UID) with the time it was called off.
struct AddRoundtableCancellation: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Roundtable.schema).field("cancelled_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Roundtable.schema).deleteField("cancelled_at").update()
    }
}
