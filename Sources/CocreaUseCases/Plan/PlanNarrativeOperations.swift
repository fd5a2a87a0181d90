import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// The narrative sections as a request sends them: a missing one is empty.
package struct PlanNarrativeInput: Codable, Sendable {
    package var contextAndChallenges: String?
    package var normativeContext: String?
    package var definitions: String?
    package var strategicObjective: String?
    package var specificObjectives: String?

    package init(
        contextAndChallenges: String? = nil, normativeContext: String? = nil, definitions: String? = nil, strategicObjective: String? = nil,
        specificObjectives: String? = nil
    ) {
        self.contextAndChallenges = contextAndChallenges
        self.normativeContext = normativeContext
        self.definitions = definitions
        self.strategicObjective = strategicObjective
        self.specificObjectives = specificObjectives
    }

    /// The sections as typed, normalised, or a 422 naming every one that is too long.
    package func validated() throws(CocreaError) -> PlanNarrative {
        try PlanNarrative.validated([
            .contextAndChallenges: contextAndChallenges, .normativeContext: normativeContext, .definitions: definitions,
            .strategicObjective: strategicObjective, .specificObjectives: specificObjectives,
        ])
    }
}

/// The PAL's sections the STL writes in its own words (context and challenges, normative context,
/// definitions, strategic and specific objectives), edited by whoever edits the commitments.
package enum PlanNarrativeOperations {
    package static func read(_ exerciseID: UUID, on ctx: UseCaseContext) async throws -> PlanNarrative {
        try await read(exerciseID, on: ctx.db)
    }

    /// The live draft; empty until the STL first saves it.
    package static func read(_ exerciseID: UUID, on db: Database) async throws -> PlanNarrative {
        guard let record = try await PlanNarrativeRecord.query(on: db).filter(\.$exercise.$id == exerciseID).first() else { return PlanNarrative() }
        return narrative(of: record)
    }

    /// Replaces every section. Like an edit of the commitments, it makes a new version once one was
    /// frozen (and the plan still meets the rules), so the plan people sign carries what was written.
    package static func save(_ input: PlanNarrativeInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> PlanNarrative {
        let narrative = try input.validated()
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let existing = try await PlanNarrativeRecord.query(on: tx).filter(\.$exercise.$id == context.exerciseID).first()
            let before = existing.map(Self.narrative(of:)) ?? PlanNarrative()
            guard before != narrative else { return narrative }
            let record = existing ?? PlanNarrativeRecord()
            record.$exercise.id = context.exerciseID
            record.contextAndChallenges = narrative.contextAndChallenges
            record.normativeContext = narrative.normativeContext
            record.definitions = narrative.definitions
            record.strategicObjective = narrative.strategicObjective
            record.specificObjectives = narrative.specificObjectives
            try await record.save(on: tx)
            try await audit.record("update", entity: "planNarrative", id: record.id, exercise: context.exerciseID, before: before, after: narrative)
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
            return narrative
        }
    }

    private static func narrative(of record: PlanNarrativeRecord) -> PlanNarrative {
        var narrative = PlanNarrative()
        narrative.contextAndChallenges = record.contextAndChallenges
        narrative.normativeContext = record.normativeContext
        narrative.definitions = record.definitions
        narrative.strategicObjective = record.strategicObjective
        narrative.specificObjectives = record.specificObjectives
        return narrative
    }
}
