import FluentKit
import Foundation

/// A person who can sign in. Exercise roles live on `Member`; `isAdministrator` is the instance's own.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "password_hash") public var passwordHash: String?
    @Field(key: "is_administrator") public var isAdministrator: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Listed here rather than found by reflection, Fluent's costliest step, since every signed-in
    /// request reads this model (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] { [$id, $email, $name, $passwordHash, $isAdministrator, $createdAt] }

    public init() {}

    public init(id: UUID? = nil, email: String, name: String, passwordHash: String? = nil, isAdministrator: Bool = false) {
        self.id = id
        self.email = email.lowercased()
        self.name = name
        self.passwordHash = passwordHash
        self.isAdministrator = isAdministrator
    }
}

/// A single-use sign-in link sent by email; only its SHA-256 is stored.
public final class LoginToken: Model, @unchecked Sendable {
    public static let schema = "login_tokens"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}

/// A bearer token for the JSON API; only its SHA-256 is stored.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Listed here rather than found by reflection, Fluent's costliest step, since every API request
    /// reads this model (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] { [$id, $user, $name, $tokenHash, $lastUsedAt, $createdAt] }

    public init() {}

    public init(userID: UUID, name: String, tokenHash: String) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
    }
}

/// One sign-in attempt, kept in the database so that the limit holds across `cocrea serve` processes.
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID public var id: UUID?
    /// The client address and the email tried, e.g. "127.0.0.1|ana@example.mx".
    @Field(key: "key") public var key: String
    @Field(key: "succeeded") public var succeeded: Bool
    @Field(key: "attempted_at") public var attemptedAt: Date

    public init() {}

    public init(key: String, succeeded: Bool, attemptedAt: Date) {
        self.key = key
        self.succeeded = succeeded
        self.attemptedAt = attemptedAt
    }
}
