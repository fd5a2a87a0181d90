import FluentKit

/// The session table of the first installations, as Vapor's Fluent created it, under the name
/// Fluent recorded it by, so databases migrated then and new ones share one history. The store
/// does not depend on Vapor; `CreateWebSessions` drops this table again.
struct CreateFluentSessions: AsyncMigration {
    var name: String { "Fluent.SessionRecord.Create" }

    func prepare(on database: Database) async throws {
        try await database.schema("_fluent_sessions")
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("_fluent_sessions").delete()
    }
}
