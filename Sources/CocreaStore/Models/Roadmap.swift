import CocreaCore
import FluentKit
import Foundation

/// An event of an exercise's roadmap as it stands now. Its identity (kind and title) stays the same
/// across announcements, so calendars update it in place: `sequence` rises each time it changes.
public final class RoadmapEvent: Model, @unchecked Sendable {
    public static let schema = "roadmap_events"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Enum(key: "kind") public var kind: RoadmapEventKind
    @Field(key: "title") public var title: String
    /// Calendar dates, `YYYY-MM-DD`, both inclusive.
    @Field(key: "starts_on") public var startsOn: String
    @Field(key: "ends_on") public var endsOn: String
    @Field(key: "place") public var place: String
    /// Its place in the latest announcement's order.
    @Field(key: "position") public var position: Int
    @Field(key: "sequence") public var sequence: Int
    /// When it was first announced.
    @Field(key: "announced_at") public var announcedAt: Date
    /// When a later announcement left it out.
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?

    @Children(for: \.$event) public var announcements: [RoadmapAnnouncement]

    public init() {}

    public var entry: RoadmapEntry {
        RoadmapEntry(kind: kind, title: title, startsOn: LocalDate(startsOn)!, endsOn: LocalDate(endsOn)!, place: place)
    }
}

/// One announcement of an event: its dates and place as published then. Kept for good, so a moved
/// date reads as a change («antes: 12/02/2027; anunciado el …»).
public final class RoadmapAnnouncement: Model, @unchecked Sendable {
    public static let schema = "roadmap_announcements"

    @ID public var id: UUID?
    @Parent(key: "event_id") public var event: RoadmapEvent
    @Field(key: "title") public var title: String
    @Field(key: "starts_on") public var startsOn: String
    @Field(key: "ends_on") public var endsOn: String
    @Field(key: "place") public var place: String
    /// True when this announcement took the event off the roadmap.
    @Field(key: "withdrawn") public var withdrawn: Bool
    @Field(key: "announced_at") public var announcedAt: Date

    public init() {}

    public init(eventID: UUID, entry: RoadmapEntry, withdrawn: Bool = false, at instant: Date) {
        self.$event.id = eventID
        self.title = entry.title
        self.startsOn = entry.startsOn.description
        self.endsOn = entry.endsOn.description
        self.place = entry.place
        self.withdrawn = withdrawn
        self.announcedAt = instant
    }
}
