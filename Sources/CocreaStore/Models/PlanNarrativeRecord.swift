import FluentKit
import Foundation

/// The narrative sections of an exercise's plan as the STL is writing them (one row per exercise,
/// made on its first save); a frozen version keeps its own copy in its content.
public final class PlanNarrativeRecord: Model, @unchecked Sendable {
    public static let schema = "plan_narratives"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "context_and_challenges") public var contextAndChallenges: String
    @Field(key: "normative_context") public var normativeContext: String
    @Field(key: "definitions") public var definitions: String
    @Field(key: "strategic_objective") public var strategicObjective: String
    @Field(key: "specific_objectives") public var specificObjectives: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
