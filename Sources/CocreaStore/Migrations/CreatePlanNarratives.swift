import FluentKit

/// The narrative sections of the PAL the STL writes (context and challenges, normative context,
/// definitions, strategic and specific objectives), one row per exercise.
struct CreatePlanNarratives: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(PlanNarrativeRecord.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("context_and_challenges", .string, .required)
            .field("normative_context", .string, .required)
            .field("definitions", .string, .required)
            .field("strategic_objective", .string, .required)
            .field("specific_objectives", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "exercise_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(PlanNarrativeRecord.schema).delete()
    }
}
