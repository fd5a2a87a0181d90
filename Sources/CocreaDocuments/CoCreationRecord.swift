import Foundation

/// The co-creation record of an exercise as display-ready text in one language: what its PDF and its
/// Word document both lay out, section by section, so the two say the same.
public struct CoCreationRecord: Sendable {
    /// A labelled figure: "Respuestas a encuestas" — "48".
    public struct Figure: Sendable {
        public var label: String
        public var value: String
        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    /// A roadmap event: its dates and place now, when it was first announced, its earlier announcements
    /// ("12/02/2027 · Sala de juntas — anunciado el 01/12/2026"), and when it took place if known.
    public struct Step: Sendable {
        public var title, kind, dates, place, firstAnnounced: String
        public var changes: [String]
        public var held: String
        public init(title: String, kind: String, dates: String, place: String, firstAnnounced: String, changes: [String], held: String) {
            self.title = title
            self.kind = kind
            self.dates = dates
            self.place = place
            self.firstAnnounced = firstAnnounced
            self.changes = changes
            self.held = held
        }
    }

    /// A table of counts: a row per presence or stance, a column per sector and the total.
    public struct Counts: Sendable {
        public var rows: [[String]]
        public init(rows: [[String]]) { self.rows = rows }
    }

    public struct Roundtable: Sendable {
        /// "Mesa del martes 12 de febrero de 2027, 10:00 · Sala de juntas".
        public var heading: String
        public var state: String
        public var attendance: Counts?
        public var stages: String
        /// Time, sector, kind, dossier item, text.
        public var interventions: [[String]]
        public init(heading: String, state: String, attendance: Counts?, stages: String, interventions: [[String]]) {
            self.heading = heading
            self.state = state
            self.attendance = attendance
            self.stages = stages
            self.interventions = interventions
        }
    }

    public struct Version: Sendable {
        /// "Versión 2 · congelada el … · SHA-256 …".
        public var heading: String
        /// "Se agregó «…»", one line per change; the first version says it is the first.
        public var changes: [String]
        public var conformity: Counts
        public init(heading: String, changes: [String], conformity: Counts) {
            self.heading = heading
            self.changes = changes
            self.conformity = conformity
        }
    }

    public var title: String
    public var exerciseName: String
    public var territory: String
    /// Publication, the moment the record was made and the public page, one line each.
    public var summary: [String]
    /// The column headers of every count table: the exercise's sector labels and "Total".
    public var sectorColumns: [String]
    public var roadmap: [Step]
    /// Title, kind, source, date, address.
    public var documents: [[String]]
    public var roundtables: [Roundtable]
    public var consultation: [Figure]
    public var outcomes: [Figure]
    /// Number, public reason.
    public var hidden: [[String]]
    /// Number, problem, outcome, reason, commitments.
    public var responses: [[String]]
    public var versions: [Version]
    /// Name, sector, organisation, date, method.
    public var signatures: [[String]]
    public var sealed: String
    /// Commitment, origins.
    public var traces: [[String]]

    public init(
        title: String, exerciseName: String, territory: String, summary: [String], sectorColumns: [String], roadmap: [Step], documents: [[String]],
        roundtables: [Roundtable], consultation: [Figure], outcomes: [Figure], hidden: [[String]], responses: [[String]], versions: [Version],
        signatures: [[String]], sealed: String, traces: [[String]]
    ) {
        self.title = title
        self.exerciseName = exerciseName
        self.territory = territory
        self.summary = summary
        self.sectorColumns = sectorColumns
        self.roadmap = roadmap
        self.documents = documents
        self.roundtables = roundtables
        self.consultation = consultation
        self.outcomes = outcomes
        self.hidden = hidden
        self.responses = responses
        self.versions = versions
        self.signatures = signatures
        self.sealed = sealed
        self.traces = traces
    }
}
