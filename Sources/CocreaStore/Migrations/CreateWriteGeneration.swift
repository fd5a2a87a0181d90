import FluentKit
import SQLKit

/// One row counting the committed writes, raised inside each write's own transaction (`Writer`), so
/// that every process on the same database — another `cocrea serve` on PostgreSQL, the command line —
/// sees that what it read before is out of date the moment the write commits.
struct CreateWriteGeneration: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Writer.generationTable)
            .field("id", .int, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        try await (database as! any SQLDatabase).insert(into: Writer.generationTable).columns("id", "value")
            .values(SQLLiteral.numeric("1"), SQLLiteral.numeric("0")).run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Writer.generationTable).delete()
    }
}
