import FluentKit
import Foundation

/// A session names its person in a column of its own, so that reading the session and the person
/// it signs in is one join instead of two queries on every signed-in request. Existing sessions
/// take the person from their data, so nobody is signed out.
struct AddWebSessionUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StoredSession.schema).field("user_id", .uuid).update()
        try await Self.backfill(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredSession.schema).deleteField("user_id").update()
    }

    /// Names the person of every session stored without one.
    static func backfill(on database: any Database) async throws {
        for session in try await StoredSession.query(on: database).filter(\.$userID == nil).all() {
            session.userID = session.data["userID"].flatMap(UUID.init(uuidString:))
            try await session.update(on: database)
        }
    }
}

/// A session row as this migration knows it (the web module's `WebSession` stores Vapor's session data,
/// a dictionary of strings).
private final class StoredSession: Model, @unchecked Sendable {
    static let schema = "web_sessions"

    @ID var id: UUID?
    @Field(key: "data") var data: [String: String]
    @OptionalField(key: "user_id") var userID: UUID?
}
