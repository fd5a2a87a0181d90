import CocreaCore
import CocreaStore
import FluentKit
import Foundation

package struct AttendanceInput: Codable, Sendable {
    package var memberId: UUID?
    package var presence: String?
    package var representedBy: String?

    package init(memberId: UUID? = nil, presence: String? = nil, representedBy: String? = nil) {
        self.memberId = memberId
        self.presence = presence
        self.representedBy = representedBy
    }
}

package struct AttendanceDTO: Codable, Sendable {
    package var memberId: UUID
    package var presence: Presence
    package var representedBy: String?

    package init(_ attendance: Attendance) {
        memberId = attendance.$member.id
        presence = attendance.presence
        representedBy = attendance.representedBy
    }
}

package struct InterventionInput: Codable, Sendable {
    package var memberId: UUID?
    package var dossierItemId: UUID?
    package var kind: String?
    package var text: String?

    package init(memberId: UUID? = nil, dossierItemId: UUID? = nil, kind: String? = nil, text: String? = nil) {
        self.memberId = memberId
        self.dossierItemId = dossierItemId
        self.kind = kind
        self.text = text
    }
}

package struct InterventionDTO: Codable, Sendable {
    package var id: UUID?
    package var memberId: UUID
    package var dossierItemId: UUID?
    package var kind: InterventionKind
    package var text: String
    package var createdAt: Date?

    package init(_ intervention: Intervention) {
        id = intervention.id
        memberId = intervention.$member.id
        dossierItemId = intervention.$dossierItem.id
        kind = intervention.kind
        text = intervention.text
        createdAt = intervention.createdAt
    }
}

/// What happens at an open table: who attends, and each actor's doubts, contributions and feedback.
package enum TableRecordOperations {
    /// Who was at the table, as recorded so far.
    package static func attendance(at table: Roundtable, on ctx: UseCaseContext) async throws -> [Attendance] {
        try await Attendance.query(on: ctx.db).filter(\.$roundtable.$id == table.requireID()).all()
    }

    /// What the table's console shows: the exercise's members in the order they joined, the attendance
    /// recorded per member, the dossier items, the stream's latest event and the interventions.
    package struct Console: Sendable {
        package var members: [Member]
        package var attendance: [UUID: Attendance]
        package var items: [DossierItem]
        /// Read before the interventions: anything after it reaches the page through the stream (the
        /// script skips an intervention already listed), so nothing falls between the two reads.
        package var lastEvent: Int
        package var interventions: [Intervention]
    }

    package static func console(of table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Console {
        let members = try await Member.query(on: ctx.db).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
        let attendance = Dictionary(
            try await attendance(at: table, on: ctx).map { ($0.$member.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = try await DossierItem.query(on: ctx.db).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
        let lastEvent =
            try await RoundtableEvent.query(on: ctx.db).filter(\.$roundtable.$id == table.requireID()).sort(\.$sequence, .descending).first()?.sequence ?? 0
        return Console(
            members: members, attendance: attendance, items: items, lastEvent: lastEvent, interventions: try await interventions(at: table, on: ctx))
    }

    /// The doubts, contributions and feedback stated at the table, in the order they were said.
    package static func interventions(at table: Roundtable, on ctx: UseCaseContext) async throws -> [Intervention] {
        try await Intervention.query(on: ctx.db).filter(\.$roundtable.$id == table.requireID()).sort(\.$createdAt).all()
    }

    /// The member must belong to the table's exercise; the facilitator may record for anyone, a member only for themself.
    private static func member(_ id: UUID?, in context: ExerciseContext, on db: Database, validator v: inout CocreaCore.Validator) async throws -> Member? {
        guard let id = id ?? context.member?.id else {
            v.add(field: "memberId", "problemMemberMissing")
            return nil
        }
        guard let member = try await Member.query(on: db).filter(\.$id == id).filter(\.$exercise.$id == context.exerciseID).first() else {
            v.add(field: "memberId", "problemMemberForeign")
            return nil
        }
        if member.id != context.member?.id && !context.access.allows(.facilitate) {
            throw CocreaError.recordingForOthersForbidden
        }
        return member
    }

    private static func ensureInSession(_ table: Roundtable) throws {
        guard table.cancelledAt == nil, table.stage != .scheduled, table.stage != .closed else {
            throw CocreaError.roundtableNotInSession
        }
    }

    package static func recordAttendance(
        _ input: AttendanceInput, at table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> Attendance {
        var v = CocreaCore.Validator()
        let member = try await member(input.memberId, in: context, on: ctx.db, validator: &v)
        let presence = v.choice(input.presence, as: Presence.self, field: "presence", label: "fieldPresence")
        let representedBy = v.optional(input.representedBy, field: "representedBy", label: "fieldRepresentedBy", maxLength: 200)
        if presence == .represented && representedBy == nil {
            v.add(field: "representedBy", "problemRepresentativeMissing")
        }
        try v.check()
        try ensureInSession(table)
        let channel = LiveEvents.channel(for: ctx.location)
        let recorded = try await ctx.writer.write(on: ctx.db, actor: context.actor) { [now = ctx.now] tx, audit in
            let existing = try await Attendance.query(on: tx).filter(\.$roundtable.$id == table.id!).filter(\.$member.$id == member!.id!).first()
            let attendance = existing ?? Attendance(roundtableID: table.id!, memberID: member!.id!, presence: presence!, representedBy: nil)
            let before = existing.map(AttendanceDTO.init)
            attendance.presence = presence!
            attendance.representedBy = presence == .represented ? representedBy : nil
            try await attendance.save(on: tx)
            try await audit.record(
                "attendance", entity: "roundtable", id: table.id, exercise: context.exerciseID,
                before: before, after: AttendanceDTO(attendance))
            var label = presence!.label(.es)
            if let representedBy = attendance.representedBy { label += " por \(representedBy)" }
            try await LiveEvents.append(
                LiveEvent(
                    type: "attendance", at: LiveEvents.time(now, in: context.exercise.zone), memberId: member!.id,
                    memberName: member!.name, presenceLabel: label),
                table: table.requireID(), at: now, on: tx, channel: channel)
            return attendance
        }
        ctx.wakeTable(try table.requireID())
        return recorded
    }

    package static func recordIntervention(
        _ input: InterventionInput, at table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> Intervention {
        var v = CocreaCore.Validator()
        let member = try await member(input.memberId, in: context, on: ctx.db, validator: &v)
        let kind = v.choice(input.kind, as: InterventionKind.self, field: "kind", label: "fieldInterventionKind")
        let text = v.required(input.text, field: "text", label: "fieldInterventionText", maxLength: 5000, lines: .multiple)
        if let itemID = input.dossierItemId,
            try await DossierItem.query(on: ctx.db).filter(\.$id == itemID).filter(\.$exercise.$id == context.exerciseID).first() == nil
        {
            v.add(field: "dossierItemId", "problemDossierItemForeign")
        }
        try v.check()
        try ensureInSession(table)
        let channel = LiveEvents.channel(for: ctx.location)
        var itemTitle: String?
        if let itemID = input.dossierItemId { itemTitle = try await DossierItem.find(itemID, on: ctx.db)?.title }
        let recorded = try await ctx.writer.write(on: ctx.db, actor: context.actor) { [now = ctx.now, itemTitle] tx, audit in
            let intervention = Intervention(
                roundtableID: table.id!, memberID: member!.id!, dossierItemID: input.dossierItemId,
                kind: kind!, text: text, recordedByUserID: context.user.id)
            try await intervention.create(on: tx)
            try await audit.created("intervention", id: intervention.id, exercise: context.exerciseID, InterventionDTO(intervention))
            try await LiveEvents.append(
                LiveEvent(
                    type: "intervention", at: LiveEvents.time(now, in: context.exercise.zone), memberId: member!.id,
                    memberName: member!.name, interventionId: intervention.id, kindLabel: kind!.label(.es),
                    text: text, itemId: input.dossierItemId, itemTitle: itemTitle),
                table: table.requireID(), at: now, on: tx, channel: channel)
            return intervention
        }
        ctx.wakeTable(try table.requireID())
        return recorded
    }
}
