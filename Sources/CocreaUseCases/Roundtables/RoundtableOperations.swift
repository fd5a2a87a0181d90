import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

package struct RoundtableInput: Codable, Sendable {
    package var startsAt: String?
    package var place: String?

    /// `startsAt` is RFC 3339 from the API, or `YYYY-MM-DDTHH:MM` in the exercise's zone from a form.
    package func validated(timeZone: TimeZone, now: Date) throws -> (startsAt: Date, place: String) {
        var v = Validator()
        let place = v.required(place, field: "place", label: "fieldRoundtablePlace", maxLength: 300)
        let raw = (startsAt ?? "").trimmingCharacters(in: .whitespaces)
        var start: Date?
        if raw.isEmpty {
            v.add(field: "startsAt", "problemRoundtableDateMissing")
        } else if let instant = Self.parse(raw, timeZone: timeZone) {
            start = instant
            if instant <= now { v.add(field: "startsAt", "problemRoundtableDatePast") }
        } else {
            v.add(field: "startsAt", "problemDateTimeInvalid", ["value": .text(raw)])
        }
        try v.check()
        return (start!, place)
    }

    package static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let withZone = ISO8601DateFormatter()
        if let date = withZone.date(from: text) { return date }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            local.dateFormat = format
            if let date = local.date(from: text) { return date }
        }
        return nil
    }

    package init(startsAt: String? = nil, place: String? = nil) {
        self.startsAt = startsAt
        self.place = place
    }
}

package struct RoundtableDTO: Codable, Sendable {
    package var id: UUID?
    package var exerciseId: UUID
    package var startsAt: Date
    package var place: String
    package var stage: RoundtableStage
    package var cancelledAt: Date?

    package init(_ table: Roundtable) {
        id = table.id
        exerciseId = table.$exercise.id
        startsAt = table.startsAt
        place = table.place
        stage = table.stage
        cancelledAt = table.cancelledAt
    }
}

/// Scheduling, rescheduling and cancelling a table. Scheduling and rescheduling enforce rule D10;
/// every change emails each member a calendar file with the table's one UID.
package enum RoundtableOperations {
    package static let duration: TimeInterval = 3 * 3600

    package static func schedule(_ input: RoundtableInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable {
        let exercise = context.exercise
        let (startsAt, place) = try input.validated(timeZone: exercise.zone, now: ctx.now)
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { [ctx, now = ctx.now] tx, audit in
            // Checked inside the transaction, so material added meanwhile cannot slip past rule D10.
            try await DossierOperations.readiness(of: exercise, on: tx).0.check(startsAt: startsAt, timeZone: exercise.zone)
            let table = Roundtable(exerciseID: context.exerciseID, startsAt: startsAt, place: place)
            try await table.create(on: tx)
            try await audit.created("roundtable", id: table.id, exercise: context.exerciseID, RoundtableDTO(table))
            try await notify(.scheduled, table: table, exercise: exercise, ctx: ctx, now: now, on: tx)
            return table
        }
    }

    package static func reschedule(_ input: RoundtableInput, table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable
    {
        let exercise = context.exercise
        let (startsAt, place) = try input.validated(timeZone: exercise.zone, now: ctx.now)
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { [ctx, now = ctx.now] tx, audit in
            let table = try await reloaded(table, on: tx)
            try ensureOpen(table)
            try await DossierOperations.readiness(of: exercise, on: tx).0.check(startsAt: startsAt, timeZone: exercise.zone)
            let before = RoundtableDTO(table)
            table.startsAt = startsAt
            table.place = place
            table.invitationSequence += 1
            try await table.save(on: tx)
            try await audit.record("reschedule", entity: "roundtable", id: table.id, exercise: context.exerciseID, before: before, after: RoundtableDTO(table))
            try await notify(.rescheduled, table: table, exercise: exercise, ctx: ctx, now: now, on: tx)
            return table
        }
    }

    package static func cancel(_ table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable {
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { [ctx, now = ctx.now] tx, audit in
            let table = try await reloaded(table, on: tx)
            try ensureOpen(table)
            let before = RoundtableDTO(table)
            table.cancelledAt = now
            table.invitationSequence += 1
            try await table.save(on: tx)
            try await audit.record("cancel", entity: "roundtable", id: table.id, exercise: context.exerciseID, before: before, after: RoundtableDTO(table))
            try await notify(.cancelled, table: table, exercise: context.exercise, ctx: ctx, now: now, on: tx)
            return table
        }
    }

    /// Moves the table to its next stage. Opening it (scheduled → introducción) re-checks rule D10
    /// for today: material added since scheduling, or a new member, holds the table back.
    package static func advance(_ table: Roundtable, to requested: String?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable {
        var v = CocreaCore.Validator()
        let requestedStage = v.choice(requested, as: RoundtableStage.self, field: "stage", label: "fieldStage")
        try v.check()
        let channel = LiveEvents.channel(for: ctx.location)
        let advanced = try await ctx.writer.write(on: ctx.db, actor: context.actor) { [now = ctx.now] tx, audit in
            let table = try await reloaded(table, on: tx)
            let step = try RoundtableAgenda.advance(from: table.stage, cancelled: table.cancelledAt != nil, to: requestedStage ?? table.stage)
            if step.opensTheTable {
                try await DossierOperations.readiness(of: context.exercise, on: tx).0.check(startsAt: now, timeZone: context.exercise.zone)
            }
            let stage = step.stage
            let before = RoundtableDTO(table)
            table.stage = stage
            if !step.keepsPresenting { table.$presentingItem.id = nil }
            try await table.save(on: tx)
            try await audit.record("stage", entity: "roundtable", id: table.id, exercise: context.exerciseID, before: before, after: RoundtableDTO(table))
            try await LiveEvents.append(
                LiveEvent(type: "stage", at: LiveEvents.time(now, in: context.exercise.zone), stage: stage, stageLabel: stage.label(.es)),
                table: table.requireID(), at: now, on: tx, channel: channel)
            if stage == .closed { try await MinutesOperations.store(table, exercise: context.exercise, on: tx) }
            return table
        }
        ctx.wakeTable(try advanced.requireID())
        return advanced
    }

    /// In análisis, the facilitator puts a dossier item on every participant's screen.
    package static func present(_ itemID: UUID?, at table: Roundtable, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable {
        guard let itemID, let item = try await DossierItem.query(on: ctx.db).filter(\.$id == itemID).filter(\.$exercise.$id == context.exerciseID).first()
        else {
            throw CocreaError.dossierItemToPresentUnknown
        }
        let channel = LiveEvents.channel(for: ctx.location)
        let presented = try await ctx.writer.write(on: ctx.db, actor: context.actor) { [now = ctx.now] tx, audit in
            let table = try await reloaded(table, on: tx)
            guard table.cancelledAt == nil, table.stage == .analysis else {
                throw CocreaError.roundtableNotInAnalysis
            }
            table.$presentingItem.id = itemID
            try await table.save(on: tx)
            try await audit.record(
                "present", entity: "roundtable", id: table.id, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["dossierItemId": itemID.uuidString, "title": item.title])
            try await LiveEvents.append(
                LiveEvent(
                    type: "presenting", at: LiveEvents.time(now, in: context.exercise.zone), itemId: itemID,
                    itemTitle: item.title, itemBody: String(item.body.prefix(1200))),
                table: table.requireID(), at: now, on: tx, channel: channel)
            return table
        }
        ctx.wakeTable(try presented.requireID())
        return presented
    }

    /// The exercise's tables, in the order they meet.
    package static func list(in context: ExerciseContext, on ctx: UseCaseContext) async throws -> [Roundtable] {
        try await Roundtable.query(on: ctx.db).filter(\.$exercise.$id == context.exerciseID).sort(\.$startsAt).all()
    }

    package static func find(_ id: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Roundtable {
        guard let id,
            let table = try await Roundtable.find(id, on: ctx.db), table.$exercise.id == context.exerciseID
        else {
            throw CocreaError.notFound(.roundtable)
        }
        return table
    }

    /// The table as it stands inside the transaction, not as it was read before it began.
    private static func reloaded(_ table: Roundtable, on tx: Database) async throws -> Roundtable {
        guard let fresh = try await Roundtable.find(table.id, on: tx) else { throw CocreaError.notFound(.roundtable) }
        return fresh
    }

    private static func ensureOpen(_ table: Roundtable) throws {
        guard table.cancelledAt == nil, table.stage == .scheduled else {
            throw CocreaError.roundtableNotScheduled
        }
    }

    /// The invitation and its mail, in the words of `language`.
    private static func notify(
        _ notice: Messages.RoundtableNotice, table: Roundtable, exercise: Exercise, ctx: UseCaseContext, now: Date, on tx: Database,
        language: Language = .es
    ) async throws {
        let words = language.words
        let members = try await Member.query(on: tx).filter(\.$exercise.$id == exercise.id!).sort(\.$name).all()
        let invite = CalendarInvite(
            uid: "mesa-\(table.id!.uuidString.lowercased())@cocrea",
            sequence: table.invitationSequence,
            method: notice == .cancelled ? .cancel : .request,
            summary: words["calendarRoundtableSummary", ["exercise": exercise.name]],
            description: words["calendarRoundtableDescription", ["territory": exercise.territory]],
            location: table.place, start: table.startsAt, end: table.startsAt.addingTimeInterval(duration), stamp: now,
            organizer: .init(name: ctx.mailFrom.name ?? words["calendarOrganizer"], email: ctx.mailFrom.email),
            attendees: members.map { .init(name: $0.name, email: $0.email) })
        let calendar = invite.rendered()
        let when = words["calendarWhen", ["when": words.dateTime(table.startsAt, in: exercise.zone), "zone": exercise.timeZone]]
        for member in members {
            let message = Messages.roundtable(
                notice, member: member, exercise: exercise, when: when, place: table.place,
                calendar: calendar, calendarMediaType: invite.mediaType, from: ctx.mailFrom, language: language)
            try await Outbox.enqueue(message, kind: "roundtable", exerciseID: exercise.id, on: tx, now: now)
        }
    }
}
