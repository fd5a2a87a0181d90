import CocreaCore
import Foundation

/// The facts of the process a plan version came from, as they stood when it was frozen: the PAL's
/// «proceso de integración» and «participantes», its «Medición de compromisos» and its annexes (each
/// table's minutes and attendance). Facts, not sentences: `blocks` words them in a language, once, for
/// both the PDF and the reading view. It names STL members as the PAL does, never their email.
public struct PlanRecord: Sendable {
    /// A consultation window of the roadmap.
    public struct Window: Sendable {
        public var startsOn: LocalDate
        public var endsOn: LocalDate
        public init(startsOn: LocalDate, endsOn: LocalDate) {
            self.startsOn = startsOn
            self.endsOn = endsOn
        }
    }

    public struct Person: Sendable {
        public var name: String
        public var sector: Sector
        public var organization: String
        public init(name: String, sector: Sector, organization: String) {
            self.name = name
            self.sector = sector
            self.organization = organization
        }
    }

    /// A member's attendance at a table; no presence when none was recorded.
    public struct Attendee: Sendable {
        public var person: Person
        public var presence: Presence?
        public var representedBy: String?
        public init(person: Person, presence: Presence?, representedBy: String? = nil) {
            self.person = person
            self.presence = presence
            self.representedBy = representedBy
        }

        /// Present in person or through a representative.
        public var attended: Bool { presence == .present || presence == .represented }
    }

    /// An intervention the table recorded: who, what kind, about which dossier item.
    public struct Intervention: Sendable {
        public var at: Date?
        public var name: String
        public var kind: InterventionKind
        public var item: String?
        public var text: String
        public init(at: Date?, name: String, kind: InterventionKind, item: String?, text: String) {
            self.at = at
            self.name = name
            self.kind = kind
            self.item = item
            self.text = text
        }
    }

    /// A dialogue table held before the freezing, with its minutes (relatoría) and attendance.
    public struct Roundtable: Sendable {
        public var startsAt: Date
        public var place: String
        /// Each stage the table went through and when it began, in order.
        public var stages: [(stage: RoundtableStage, at: Date)]
        public var attendees: [Attendee]
        public var interventions: [Intervention]
        public init(
            startsAt: Date, place: String, stages: [(stage: RoundtableStage, at: Date)], attendees: [Attendee], interventions: [Intervention]
        ) {
            self.startsAt = startsAt
            self.place = place
            self.stages = stages
            self.attendees = attendees
            self.interventions = interventions
        }
    }

    /// A topic found in the information requests, and how many requests it groups.
    public struct Topic: Sendable {
        public var label: String
        public var requests: Int
        public init(label: String, requests: Int) {
            self.label = label
            self.requests = requests
        }
    }

    /// A row of the measurement table: a commitment's indicator and its dates.
    public struct Measure: Sendable {
        public var commitment: String
        public var indicator: String
        public var baseline: String
        public var target: String
        public var meansOfVerification: String
        public var startsOn: LocalDate?
        public var endsOn: LocalDate?
        public init(
            commitment: String, indicator: String, baseline: String, target: String, meansOfVerification: String, startsOn: LocalDate?,
            endsOn: LocalDate?
        ) {
            self.commitment = commitment
            self.indicator = indicator
            self.baseline = baseline
            self.target = target
            self.meansOfVerification = meansOfVerification
            self.startsOn = startsOn
            self.endsOn = endsOn
        }
    }

    /// The exercise's zone: every instant is shown there.
    public var zone: TimeZone
    public var frozenAt: Date
    /// Each time the dossier was sent to the members before the freezing.
    public var dossierSent: [Date]
    public var consultationWindows: [Window]
    /// The STL as it stood at the freezing.
    public var participants: [Person]
    public var roundtables: [Roundtable]
    public var dossierItems: [DossierItemKind: Int]
    public var surveys: Int
    public var surveyAnswers: Int
    public var informationRequests: Int
    public var requestTopics: [Topic]
    public var proposalsReceived: Int
    /// The proposals answered by the freezing, by outcome.
    public var proposalOutcomes: [ProposalOutcome: Int]
    public var measurement: [Measure]

    public init(
        zone: TimeZone, frozenAt: Date, dossierSent: [Date], consultationWindows: [Window], participants: [Person], roundtables: [Roundtable],
        dossierItems: [DossierItemKind: Int], surveys: Int, surveyAnswers: Int, informationRequests: Int, requestTopics: [Topic],
        proposalsReceived: Int, proposalOutcomes: [ProposalOutcome: Int], measurement: [Measure]
    ) {
        self.zone = zone
        self.frozenAt = frozenAt
        self.dossierSent = dossierSent
        self.consultationWindows = consultationWindows
        self.participants = participants
        self.roundtables = roundtables
        self.dossierItems = dossierItems
        self.surveys = surveys
        self.surveyAnswers = surveyAnswers
        self.informationRequests = informationRequests
        self.requestTopics = requestTopics
        self.proposalsReceived = proposalsReceived
        self.proposalOutcomes = proposalOutcomes
        self.measurement = measurement
    }
}

/// A part of the record as a reader reads it, in one language: a heading (level 1 a numbered section,
/// 2 a part of one), its paragraphs and its tables. The PDF and the reading view both lay these out,
/// so the two say the same.
public struct PlanRecordBlock: Sendable, Encodable {
    public struct Table: Sendable, Encodable {
        public struct Column: Sendable, Encodable {
            public var title: String
            /// The share of the page's width.
            public var share: Double
        }

        public var caption: String
        public var columns: [Column]
        public var rows: [[String]]
    }

    public var level: Int
    public var heading: String
    public var paragraphs: [String]
    public var tables: [Table]
}

extension PlanRecord {
    /// «Proceso de integración» and «Participantes», the parts of the introduction the record writes.
    public func introduction(_ words: Words) -> [PlanRecordBlock] {
        [process(words), participation(words)]
    }

    /// «Medición de compromisos»: each commitment's indicator, baseline, target, means of verification and dates.
    public func measurementBlock(_ words: Words) -> PlanRecordBlock {
        let none = "—"
        func date(_ date: LocalDate?) -> String { date.map(MexicanFormat.numeric) ?? none }
        return PlanRecordBlock(
            level: 1, heading: words["planRecordMeasurement"],
            paragraphs: measurement.isEmpty ? [words["planRecordNoCommitments"]] : [words["planRecordMeasurementNote"]],
            tables: measurement.isEmpty
                ? []
                : [
                    .init(
                        caption: "",
                        columns: columns(
                            words,
                            [
                                ("planRecordCommitment", 0.2), ("pdfPlanIndicator", 0.19), ("pdfPlanBaseline", 0.13), ("pdfPlanTarget", 0.13),
                                ("pdfPlanMeansOfVerification", 0.2), ("pdfPlanSpan", 0.15),
                            ]),
                        rows: measurement.enumerated().map { index, measure in
                            [
                                "\(index + 1). \(measure.commitment)", measure.indicator.isEmpty ? none : measure.indicator,
                                measure.baseline.isEmpty ? none : measure.baseline, measure.target.isEmpty ? none : measure.target,
                                measure.meansOfVerification.isEmpty ? none : measure.meansOfVerification,
                                "\(date(measure.startsOn)) – \(date(measure.endsOn))",
                            ]
                        })
                ])
    }

    /// «Anexos»: the section's heading, then each table's minutes and attendance list (Anexo 1.n).
    public func annexBlocks(_ words: Words) -> [PlanRecordBlock] {
        let heading = PlanRecordBlock(
            level: 1, heading: words["planRecordAnnexes"],
            paragraphs: [words[roundtables.isEmpty ? "planRecordNoRoundtables" : "planRecordAnnexesNote"]], tables: [])
        return [heading]
            + roundtables.enumerated().map { index, table in
                let stages = table.stages.map { words["planRecordStageAt", ["stage": words.label($0.stage), "time": time($0.at)]] }
                return PlanRecordBlock(
                    level: 2,
                    heading: words[
                        "planRecordAnnexTable", ["number": "\(index + 1)", "date": words.dateTime(table.startsAt, in: zone), "place": table.place]],
                    paragraphs: stages.isEmpty ? [] : [words["planRecordStages", ["stages": stages.joined(separator: " · ")]]],
                    tables: [
                        .init(
                            caption: words["planRecordAttendanceList"],
                            columns: columns(words, [("pdfName", 0.32), ("pdfSector", 0.2), ("pdfOrganization", 0.28), ("planRecordPresence", 0.2)]),
                            rows: table.attendees.map { attendee in
                                var presence = attendee.presence.map { words.label($0) } ?? words["consoleNoRecord"]
                                if let name = attendee.representedBy {
                                    presence = words["consoleRepresentedByName", ["presence": presence, "name": name]]
                                }
                                return [attendee.person.name, words.label(attendee.person.sector), attendee.person.organization, presence]
                            }),
                        .init(
                            caption: words["planRecordMinutes"],
                            columns: columns(
                                words,
                                [("pdfMinutesTime", 0.09), ("pdfMinutesMember", 0.22), ("pdfMinutesKind", 0.14), ("pdfMinutesIntervention", 0.55)]),
                            // The dossier item goes under the text, so a long item never interleaves with it.
                            rows: table.interventions.isEmpty
                                ? [[words["pdfMinutesNoInterventions"], "", "", ""]]
                                : table.interventions.map {
                                    let about = $0.item.map { "\n" + words["planRecordAbout", ["item": $0]] } ?? ""
                                    return [$0.at.map(time) ?? "", $0.name, words.label($0.kind), $0.text + about]
                                }),
                    ])
            }
    }

    private func process(_ words: Words) -> PlanRecordBlock {
        var paragraphs: [String] = []
        let sent = dossierSent.map { MexicanFormat.numeric($0, in: zone) }
        paragraphs.append(
            sent.isEmpty ? words["planRecordDossierNotSent"] : words.count("planRecordDossierSent", sent.count, ["dates": sent.joined(separator: ", ")]))
        paragraphs +=
            consultationWindows.isEmpty
            ? [words["planRecordNoConsultation"]]
            : consultationWindows.map { words["planRecordConsultation", ["start": words.date($0.startsOn), "end": words.date($0.endsOn)]] }
        paragraphs.append(words.count("planRecordRoundtables", roundtables.count))
        paragraphs.append(words["planRecordFrozen", ["date": words.dateTime(frozenAt, in: zone)]])

        var tables: [PlanRecordBlock.Table] = []
        if !roundtables.isEmpty {
            tables.append(
                .init(
                    caption: words["planRecordRoundtablesCaption"],
                    columns: columns(words, [("planRecordDate", 0.4), ("planRecordPlace", 0.4), ("planRecordAttendees", 0.2)]),
                    rows: roundtables.map { table in
                        [
                            words.dateTime(table.startsAt, in: zone), table.place,
                            "\(table.attendees.filter(\.attended).count) / \(table.attendees.count)",
                        ]
                    }))
        }
        let kinds = DossierItemKind.allCases.filter { (dossierItems[$0] ?? 0) > 0 }
        tables.append(
            .init(
                caption: words["planRecordDossierCaption"], columns: columns(words, [("planRecordKind", 0.75), ("planRecordCount", 0.25)]),
                rows: kinds.isEmpty ? [[words["planRecordNoDossierItems"], "0"]] : kinds.map { [words.label($0), "\(dossierItems[$0] ?? 0)"] }))
        let answered = ProposalOutcome.allCases.map { outcome in
            [words["planRecordProposalOutcome", ["outcome": words["proposalOutcome_\(outcome.rawValue)"]]], "\(proposalOutcomes[outcome] ?? 0)"]
        }
        let unanswered = proposalsReceived - proposalOutcomes.values.reduce(0, +)
        tables.append(
            .init(
                caption: words["planRecordConsultationCaption"], columns: columns(words, [("planRecordConcept", 0.75), ("planRecordCount", 0.25)]),
                rows: [
                    [words["planRecordSurveys"], "\(surveys)"], [words["planRecordSurveyAnswers"], "\(surveyAnswers)"],
                    [words["planRecordInformationRequests"], "\(informationRequests)"], [words["planRecordProposals"], "\(proposalsReceived)"],
                ] + answered + [[words["planRecordProposalsUnanswered"], "\(unanswered)"]]))
        if !requestTopics.isEmpty {
            tables.append(
                .init(
                    caption: words["planRecordTopicsCaption"], columns: columns(words, [("planRecordTopic", 0.75), ("planRecordCount", 0.25)]),
                    rows: requestTopics.map { [$0.label, "\($0.requests)"] }))
        }
        return PlanRecordBlock(level: 2, heading: words["planRecordProcess"], paragraphs: paragraphs, tables: tables)
    }

    private func participation(_ words: Words) -> PlanRecordBlock {
        let sectors = Sector.allCases
        var tables = [
            PlanRecordBlock.Table(
                caption: words["planRecordMembersCaption"],
                columns: columns(words, [("pdfSector", 0.26), ("planRecordPeople", 0.14), ("planRecordOrganizations", 0.6)]),
                rows: sectors.map { sector in
                    let people = participants.filter { $0.sector == sector }
                    var organizations: [String] = []
                    for person in people where !organizations.contains(person.organization) { organizations.append(person.organization) }
                    return [words.label(sector), "\(people.count)", organizations.joined(separator: "; ")]
                })
        ]
        if !roundtables.isEmpty {
            let share = 0.72 / Double(sectors.count + 1)
            tables.append(
                .init(
                    caption: words["planRecordAttendanceCaption"],
                    columns: [PlanRecordBlock.Table.Column(title: words["planRecordDate"], share: 0.28)]
                        + sectors.map { PlanRecordBlock.Table.Column(title: words.label($0), share: share) }
                        + [PlanRecordBlock.Table.Column(title: words["planRecordTotal"], share: share)],
                    rows: roundtables.map { table in
                        let attended = table.attendees.filter(\.attended)
                        return [MexicanFormat.numeric(table.startsAt, in: zone)]
                            + sectors.map { sector in "\(attended.filter { $0.person.sector == sector }.count)" } + ["\(attended.count)"]
                    }))
        }
        return PlanRecordBlock(
            level: 2, heading: words["planRecordParticipants"], paragraphs: [words.count("planRecordParticipantsTotal", participants.count)],
            tables: tables)
    }

    private func time(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: instant)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    private func columns(_ words: Words, _ keys: [(String, Double)]) -> [PlanRecordBlock.Table.Column] {
        keys.map { .init(title: words[$0.0], share: $0.1) }
    }
}
