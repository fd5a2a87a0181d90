import FluentKit
import SQLKit

/// Citizen proposals, their moderation and their reasoned response.
struct CreateProposals: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Proposal.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id"))
            .field("problem", .string, .required)
            .field("solution", .string, .required)
            .field("theme", .string, .required)
            .field("received_at", .datetime, .required)
            .field("status", .string, .required)
            .field("moderation_reason", .string, .required)
            .field("moderated_at", .datetime)
            .field("email", .string)
            .field("confirmation_hash", .string)
            .field("email_confirmed_at", .datetime)
            .field("outcome", .string)
            .field("response_reason", .string, .required)
            .field("commitment_ids", .string, .required)
            .field("merged_into_id", .uuid, .references(Proposal.schema, "id"))
            .field("responded_at", .datetime)
            .field("responded_by", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "proposals_by_exercise_id").on(Proposal.schema).column("exercise_id").run()
        try await sql.create(index: "proposals_by_merged_into_id").on(Proposal.schema).column("merged_into_id").run()
        try await sql.create(index: "proposals_by_confirmation_hash").on(Proposal.schema).column("confirmation_hash").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Proposal.schema).delete()
    }
}
