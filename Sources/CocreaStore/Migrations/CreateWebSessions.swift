import FluentKit
import SQLKit

/// Sessions that expire on the server and are stored by the hash of their cookie. Fluent's own
/// session table kept the cookie in clear and its rows forever; it is dropped, which signs
/// everybody out once.
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("web_sessions")
            .id()
            .field("key_hash", .string, .required)
            .field("data", .json, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "key_hash")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "web_sessions_expires_at").on("web_sessions").column("expires_at").run()
        }
        try await database.schema("_fluent_sessions").delete()
    }

    func revert(on database: Database) async throws {
        try await CreateFluentSessions().prepare(on: database)
        try await database.schema("web_sessions").delete()
    }
}
