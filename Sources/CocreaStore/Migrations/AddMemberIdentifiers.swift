import FluentKit
import SQLKit

/// A member may record the RFC and CURP their e.firma certificate names them by, so a signature with
/// it can be checked to be theirs.
struct AddMemberIdentifiers: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column at a time: SQLite alters a table by one column per statement.
        try await database.schema(Member.schema).field("rfc", .string).update()
        try await database.schema(Member.schema).field("curp", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Member.schema).deleteField("curp").update()
        try await database.schema(Member.schema).deleteField("rfc").update()
    }
}
