import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// Making an exercise public and announcing its roadmap. Both are audited through the writer.
package enum PublicationOperations {
    /// Publishes a draft. Publishing a published exercise changes nothing and answers the same:
    /// a retried request must not fail, nor move the date the public has seen.
    package static func publish(_ context: ExerciseContext, on ctx: UseCaseContext) async throws -> PublicationDTO {
        let now = ctx.now
        let exerciseID = context.exerciseID
        let publishedAt = try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let exercise = try await Exercise.find(exerciseID, on: tx) else { throw CocreaError.notFound(.exercise) }
            if let publishedAt = exercise.publishedAt { return publishedAt }
            exercise.publishedAt = now
            try await exercise.save(on: tx)
            try await audit.record(
                "publish", entity: "exercise", id: exerciseID, exercise: exerciseID,
                before: Optional<String>.none, after: ["publishedAt": now], at: now)
            return now
        }
        return PublicationDTO(
            exerciseId: exerciseID, publishedAt: publishedAt,
            publicUrl: "\(ctx.baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())")
    }

    /// The exercises anyone may see: published by their facilitation, or with a sealed plan version (a
    /// sealed plan has always been public). The one statement of that rule, for the index and for each exercise.
    /// Parenthesised: Fluent joins filters with AND as written, and AND binds before OR.
    package static func publiclyVisible(_ query: QueryBuilder<Exercise>) -> QueryBuilder<Exercise> {
        query.filter(
            .sql(
                unsafeRaw:
                    #"("exercises"."published_at" IS NOT NULL OR "exercises"."id" IN (SELECT "exercise_id" FROM "plan_versions" WHERE "sealed_at" IS NOT NULL))"#
            ))
    }

    package static func isPublic(_ exercise: Exercise, on db: Database) async throws -> Bool {
        try await publiclyVisible(Exercise.query(on: db).filter(\.$id == exercise.requireID())).count() > 0
    }

    /// Replaces the announced events. Events keep their identity by kind and title; one whose dates,
    /// place or title changed gets a new announcement (the old ones stay as its history), one left out
    /// is withdrawn, and sending the same roadmap again records nothing.
    package static func replaceRoadmap(_ entries: [RoadmapEntry], in context: ExerciseContext, on ctx: UseCaseContext) async throws -> [RoadmapEventDTO] {
        let now = ctx.now
        let exerciseID = context.exerciseID
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let existing = try await RoadmapEvent.query(on: tx).filter(\.$exercise.$id == exerciseID).all()
            let announced = existing.filter { $0.withdrawnAt == nil }
            let change = Roadmap.change(from: announced.sorted { $0.position < $1.position }.map(\.entry), to: entries)
            // A withdrawn event announced again comes back under the same identity (and calendar UID).
            let byIdentity = Dictionary(existing.map { ($0.entry.identity, $0) }, uniquingKeysWith: { a, b in a.withdrawnAt == nil ? a : b })
            for (position, entry) in entries.enumerated() {
                if let event = byIdentity[entry.identity] {
                    let returns = event.withdrawnAt != nil
                    let moved = returns || entry.differs(from: event.entry)
                    event.position = position
                    if moved {
                        apply(entry, to: event)
                        event.withdrawnAt = nil
                        event.sequence += 1
                        try await event.save(on: tx)
                        try await RoadmapAnnouncement(eventID: event.requireID(), entry: entry, at: now).create(on: tx)
                    } else if event.hasChanges {
                        try await event.save(on: tx)
                    }
                } else {
                    let event = RoadmapEvent()
                    event.$exercise.id = exerciseID
                    apply(entry, to: event)
                    event.position = position
                    event.sequence = 0
                    event.announcedAt = now
                    try await event.create(on: tx)
                    try await RoadmapAnnouncement(eventID: event.requireID(), entry: entry, at: now).create(on: tx)
                }
            }
            let withdrawn = Set(change.withdrawn)
            for event in announced where withdrawn.contains(event.entry.identity) {
                event.withdrawnAt = now
                event.sequence += 1
                try await event.save(on: tx)
                try await RoadmapAnnouncement(eventID: event.requireID(), entry: event.entry, withdrawn: true, at: now).create(on: tx)
            }
            if !change.isEmpty {
                try await audit.record(
                    "announce", entity: "roadmap", id: exerciseID, exercise: exerciseID,
                    before: announced.sorted { $0.position < $1.position }.map(\.entry), after: entries, at: now)
            }
        }
        return try await roadmap(of: exerciseID, on: ctx.db)
    }

    private static func apply(_ entry: RoadmapEntry, to event: RoadmapEvent) {
        event.kind = entry.kind
        event.title = entry.title
        event.startsOn = entry.startsOn.description
        event.endsOn = entry.endsOn.description
        event.place = entry.place
    }

    /// The events announced now, in their announced order, each with its earlier announcements.
    package static func roadmap(of exerciseID: UUID, on db: Database) async throws -> [RoadmapEventDTO] {
        try await RoadmapEvent.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$withdrawnAt == nil)
            .with(\.$announcements).sort(\.$position).all().map(RoadmapEventDTO.init)
    }

    /// Every event ever announced, withdrawn ones included (the calendar cancels those, the feed tells of them).
    package static func allEvents(of exerciseID: UUID, on db: Database) async throws -> [RoadmapEvent] {
        try await RoadmapEvent.query(on: db).filter(\.$exercise.$id == exerciseID)
            .with(\.$announcements).sort(\.$position).all()
    }
}

package struct PublicationDTO: Codable, Sendable {
    package var exerciseId: UUID
    package var publishedAt: Date
    package var publicUrl: String

    package init(exerciseId: UUID, publishedAt: Date, publicUrl: String) {
        self.exerciseId = exerciseId
        self.publishedAt = publishedAt
        self.publicUrl = publicUrl
    }
}

package struct RoadmapEventDTO: Codable, Sendable {
    package struct Earlier: Codable, Sendable {
        package var title: String
        package var startsOn: String
        package var endsOn: String
        package var place: String
        package var announcedAt: Date

        package init(title: String, startsOn: String, endsOn: String, place: String, announcedAt: Date) {
            self.title = title
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.place = place
            self.announcedAt = announcedAt
        }
    }

    package var id: UUID
    package var kind: RoadmapEventKind
    package var title: String
    package var startsOn: String
    package var endsOn: String
    package var place: String
    /// When the event was first announced, and when its current dates were.
    package var firstAnnouncedAt: Date
    package var announcedAt: Date
    /// Raised each time the event changed; calendars use it as the event's SEQUENCE.
    package var sequence: Int
    /// What was announced before, newest first (empty if it never changed).
    package var changes: [Earlier]

    package init(_ event: RoadmapEvent) {
        let announcements = event.announcements.filter { !$0.withdrawn }.sorted { $0.announcedAt > $1.announcedAt }
        id = event.id!
        kind = event.kind
        title = event.title
        startsOn = event.startsOn
        endsOn = event.endsOn
        place = event.place
        firstAnnouncedAt = event.announcedAt
        announcedAt = announcements.first?.announcedAt ?? event.announcedAt
        sequence = event.sequence
        changes = announcements.dropFirst().map {
            Earlier(title: $0.title, startsOn: $0.startsOn, endsOn: $0.endsOn, place: $0.place, announcedAt: $0.announcedAt)
        }
    }
}
