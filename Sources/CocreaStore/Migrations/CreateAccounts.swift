import FluentKit

struct CreateAccounts: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string)
            .field("is_administrator", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema(LoginToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(LoginAttempt.schema)
            .id()
            .field("key", .string, .required)
            .field("succeeded", .bool, .required)
            .field("attempted_at", .datetime, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        for schema in [LoginAttempt.schema, APIToken.schema, LoginToken.schema, User.schema] {
            try await database.schema(schema).delete()
        }
    }
}
