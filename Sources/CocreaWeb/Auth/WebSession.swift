import CocreaStore
import FluentKit
import Foundation
import Vapor

/// A signed-in browser session. The cookie's value is never stored, only its SHA-256, so a copy of
/// the database opens no session; every session ends `WebSession.lifetime` after sign-in.
public final class WebSession: Model, @unchecked Sendable {
    public static let schema = "web_sessions"
    /// As long as the cookie lives: a working day of a table, not longer.
    public static let lifetime: TimeInterval = 12 * 60 * 60

    @ID public var id: UUID?
    @Field(key: "key_hash") public var keyHash: String
    @Field(key: "data") public var data: SessionData
    @Field(key: "expires_at") public var expiresAt: Date
    /// The person signed in, also in `data`: a column so that the session and its person are read in one join.
    @OptionalParent(key: "user_id") public var user: User?

    /// Listed here rather than found by reflection, Fluent's costliest step, since every signed-in page
    /// reads this model (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] { [$id, $keyHash, $data, $expiresAt, $user] }

    public init() {}

    public init(keyHash: String, data: SessionData, expiresAt: Date) {
        self.keyHash = keyHash
        self.data = data
        self.expiresAt = expiresAt
        self.$user.id = Self.signedInUserID(data)
    }

    /// The person a session's data signs in.
    public static func signedInUserID(_ data: SessionData) -> UUID? { data["userID"].flatMap(UUID.init(uuidString:)) }
}
