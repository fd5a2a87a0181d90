import CocreaCore
import CocreaStore
import FluentKit
import Foundation

package struct ConformityInput: Codable, Sendable {
    package var stance: String?
    package var reason: String?

    package init(stance: String? = nil, reason: String? = nil) {
        self.stance = stance
        self.reason = reason
    }
}

package struct ConformityDTO: Codable, Sendable {
    package var memberId: UUID
    package var stance: Stance
    package var reason: String?
    package var statedAt: Date

    package init(_ conformity: Conformity) {
        memberId = conformity.$member.id
        stance = conformity.stance
        reason = conformity.reason
        statedAt = conformity.statedAt
    }
}

package struct ConformityRecordDTO: Codable, Sendable {
    package var planVersionId: UUID
    package var closedAt: Date?
    /// Each member's standing statement (their latest).
    package var current: [ConformityDTO]
    /// Every statement in order, changes included.
    package var history: [ConformityDTO]

    package init(planVersionId: UUID, closedAt: Date? = nil, current: [ConformityDTO], history: [ConformityDTO]) {
        self.planVersionId = planVersionId
        self.closedAt = closedAt
        self.current = current
        self.history = history
    }
}

/// The manifestación de conformidad: each actor agrees, agrees with reservations or disagrees with
/// the frozen version (a reason is required unless they simply agree), may change it until the
/// facilitator closes conformity, and every change is kept.
package enum ConformityOperations {
    package static func version(_ id: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> PlanVersion {
        guard let id,
            let version = try await PlanVersion.find(id, on: ctx.db), version.$exercise.id == context.exerciseID
        else {
            throw CocreaError.notFound(.planVersion)
        }
        return version
    }

    package static func state(_ input: ConformityInput, on version: PlanVersion, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Conformity
    {
        guard let member = context.member else {
            throw CocreaError.notAMember
        }
        var v = CocreaCore.Validator()
        let stance = v.choice(input.stance, as: Stance.self, field: "stance", label: "fieldStance")
        let reason = v.optional(input.reason, field: "reason", label: "fieldReason", maxLength: 2000, lines: .multiple)
        if let stance, stance != .agree, reason == nil {
            v.add(field: "reason", "problemStanceReasonMissing", ["stance": .label(stance.labelKey)])
        }
        try v.check()
        try await ensurePresent(member, in: context, on: ctx.db)
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let fresh = try await PlanVersion.find(version.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
            guard fresh.conformityClosedAt == nil else {
                throw CocreaError.conformityClosed
            }
            let latest = try await PlanVersion.query(on: tx).filter(\.$exercise.$id == context.exerciseID).sort(\.$number, .descending).first()
            guard latest?.id == fresh.id else {
                throw CocreaError.conformitySuperseded(latest: latest?.number ?? 0)
            }
            let conformity = Conformity()
            conformity.$planVersion.id = try fresh.requireID()
            conformity.$member.id = try member.requireID()
            conformity.stance = stance!
            conformity.reason = reason
            conformity.statedAt = now
            try await conformity.create(on: tx)
            try await audit.created("conformity", id: conformity.id, exercise: context.exerciseID, ConformityDTO(conformity))
            return conformity
        }
    }

    /// The exercise's tables and their attendance, for the rule of who states conformity
    /// (`ConformityEligibility`: those present at the latest table with attendance taken).
    private static func ensurePresent(_ member: Member, in context: ExerciseContext, on db: Database) async throws {
        let tables = try await Roundtable.query(on: db).filter(\.$exercise.$id == context.exerciseID).all()
        guard !tables.isEmpty else { return }
        let attendance = try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ tables.map { try $0.requireID() }).all()
        let byTable = Dictionary(grouping: attendance) { $0.$roundtable.id }
        try ConformityEligibility.check(
            try member.requireID(),
            tables: try tables.map { table in
                let presences = byTable[try table.requireID()] ?? []
                return ConformityEligibility.Table(
                    startsAt: table.startsAt, attendance: Dictionary(presences.map { ($0.$member.id, $0.presence) }) { first, _ in first })
            })
    }

    package static func close(_ version: PlanVersion, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> PlanVersion {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let fresh = try await PlanVersion.find(version.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
            guard fresh.conformityClosedAt == nil else { return fresh }
            fresh.conformityClosedAt = now
            try await fresh.save(on: tx)
            try await audit.record(
                "closeConformity", entity: "planVersion", id: fresh.id, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["closedAt": ISO8601DateFormatter().string(from: now)])
            return fresh
        }
    }

    package static func record(of version: PlanVersion, on ctx: UseCaseContext) async throws -> ConformityRecordDTO {
        try await record(of: version, on: ctx.db)
    }

    package static func record(of version: PlanVersion, on db: Database) async throws -> ConformityRecordDTO {
        let history = try await Conformity.query(on: db).filter(\.$planVersion.$id == version.requireID()).sort(\.$statedAt).all()
        var latest: [UUID: Conformity] = [:]
        for statement in history { latest[statement.$member.id] = statement }
        return ConformityRecordDTO(
            planVersionId: try version.requireID(), closedAt: version.conformityClosedAt,
            current: latest.values.sorted { $0.statedAt < $1.statedAt }.map(ConformityDTO.init),
            history: history.map(ConformityDTO.init))
    }
}
