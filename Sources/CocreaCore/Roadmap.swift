/// The exercise's roadmap: the events the STL announces in advance (OGP co-creation standard 2: a
/// timeline published before the process). Each announcement is kept; a later one that moves an
/// event's dates or place is shown to the public as a change of the earlier one.
public enum RoadmapEventKind: String, Codable, Sendable, CaseIterable {
    /// The evento de arranque.
    case kickoff
    /// A public consultation window (surveys, proposals).
    case consultation
    /// A mesa de diálogo announced ahead of being scheduled.
    case roundtable
    /// The signing of the PAL.
    case signature
    /// A progress cut of the follow-up year.
    case progressCut
}

/// One event as announced: what, when (calendar dates, both inclusive) and where.
public struct RoadmapEntry: Sendable, Equatable, Codable {
    public var kind: RoadmapEventKind
    public var title: String
    public var startsOn: LocalDate
    public var endsOn: LocalDate
    public var place: String

    public init(kind: RoadmapEventKind, title: String, startsOn: LocalDate, endsOn: LocalDate, place: String) {
        self.kind = kind
        self.title = title
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.place = place
    }

    /// An event keeps its identity across announcements by its kind and title (case and accents
    /// aside), so moving its dates or place is a change of the same event, not a new one.
    public var identity: String { "\(kind.rawValue):\(SearchText.fold(title))" }

    /// Whether another announcement of this event says something different to the public.
    public func differs(from other: RoadmapEntry) -> Bool {
        startsOn != other.startsOn || endsOn != other.endsOn || place != other.place || title != other.title
    }
}

public enum Roadmap {
    public static let maximumEvents = 100

    /// The raw events of a `PUT …/roadmap` body, as sent.
    public struct Input: Sendable, Decodable {
        public var kind: String?
        public var title: String?
        public var startsOn: String?
        public var endsOn: String?
        public var place: String?

        public init(kind: String?, title: String?, startsOn: String?, endsOn: String?, place: String?) {
            self.kind = kind
            self.title = title
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.place = place
        }
    }

    /// Checks every event and reports every problem at once, by field (`[2].endsOn`).
    public static func validate(_ events: [Input]) throws(CocreaError) -> [RoadmapEntry] {
        var v = Validator()
        if events.count > maximumEvents {
            v.add(field: "roadmap", "problemRoadmapTooLong", ["maximum": .number(maximumEvents)])
        }
        var entries: [RoadmapEntry] = []
        var seen: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            let at = "[\(index)]"
            let kind = v.choice(event.kind, as: RoadmapEventKind.self, field: "\(at).kind", label: "fieldEventKind")
            let title = v.required(event.title, field: "\(at).title", label: "fieldEventTitle")
            let place = v.optional(event.place, field: "\(at).place", label: "fieldPlace", maxLength: 300) ?? ""
            let startsOn = date(event.startsOn, field: "\(at).startsOn", label: "fieldStartDate", required: true, &v)
            let endsOn = date(event.endsOn, field: "\(at).endsOn", label: "fieldEndDate", required: false, &v) ?? startsOn
            if let startsOn, let endsOn, endsOn < startsOn {
                v.add(
                    field: "\(at).endsOn",
                    "problemEndsBeforeStart", ["end": .text(MexicanFormat.numeric(endsOn)), "start": .text(MexicanFormat.numeric(startsOn))])
            }
            guard let kind, let startsOn, let endsOn, !title.isEmpty else { continue }
            let entry = RoadmapEntry(kind: kind, title: title, startsOn: startsOn, endsOn: endsOn, place: place)
            if let first = seen[entry.identity] {
                v.add(
                    field: "\(at).title",
                    "problemRoadmapDuplicate", ["title": .text(title), "number": .number(first + 1)])
            } else {
                seen[entry.identity] = index
            }
            entries.append(entry)
        }
        try v.check()
        return entries
    }

    private static func date(_ raw: String?, field: String, label: FieldLabel, required: Bool, _ v: inout Validator) -> LocalDate? {
        let text = (raw ?? "").trimmingWhitespace
        if text.isEmpty {
            if required { v.add(field: field, "problemMissing", ["label": .field(label)]) }
            return nil
        }
        guard let date = LocalDate(text) else {
            v.add(field: field, "problemDateFor", ["value": .text(text), "label": .field(label)])
            return nil
        }
        return date
    }

    /// What a new announcement does to the events announced so far (keyed by identity).
    public struct Change: Sendable, Equatable {
        /// Events not announced before.
        public var added: [RoadmapEntry] = []
        /// Events announced before whose dates, place or title now differ.
        public var changed: [RoadmapEntry] = []
        /// Identities of events announced before and now left out.
        public var withdrawn: [String] = []

        public var isEmpty: Bool { added.isEmpty && changed.isEmpty && withdrawn.isEmpty }
    }

    public static func change(from current: [RoadmapEntry], to next: [RoadmapEntry]) -> Change {
        let before = Dictionary(current.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(next.map(\.identity))
        var change = Change()
        for entry in next {
            if let old = before[entry.identity] {
                if entry.differs(from: old) { change.changed.append(entry) }
            } else {
                change.added.append(entry)
            }
        }
        change.withdrawn = current.map(\.identity).filter { !after.contains($0) }
        return change
    }
}
