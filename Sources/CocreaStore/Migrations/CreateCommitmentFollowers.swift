import FluentKit
import SQLKit

/// People following a commitment by email, and the daily mail that tells them its progress.
struct CreateCommitmentFollowers: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(CommitmentFollower.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(Commitment.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("confirmation_hash", .string)
            .field("confirmed_at", .datetime)
            .field("unsubscribe_token", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "commitment_id", "email")
            .create()
        try await database.schema(FollowerMail.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(Commitment.schema, "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("through", .datetime, .required)
            .field("queued_at", .datetime, .required)
            .unique(on: "commitment_id", "day")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "commitment_followers_by_confirmation_hash").on(CommitmentFollower.schema).column("confirmation_hash").run()
        try await sql.create(index: "commitment_followers_by_unsubscribe_token").on(CommitmentFollower.schema).column("unsubscribe_token").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(FollowerMail.schema).delete()
        try await database.schema(CommitmentFollower.schema).delete()
    }
}
