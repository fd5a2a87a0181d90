import FluentKit
import SQLKit

/// A commitment's progress may weigh its activities as agreed at the table; 1 each keeps the average.
struct AddActivityWeights: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Activity.schema).field("weight", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Activity.schema).deleteField("weight").update()
    }
}
