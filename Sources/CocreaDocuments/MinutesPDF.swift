import CocreaCore
import Foundation

/// The minutes (relatoría) of a dialogue table, as display-ready text.
public struct MinutesDocument: Sendable {
    public struct Attendee: Sendable {
        public var name, sector, organization, presence: String
        public init(name: String, sector: String, organization: String, presence: String) {
            self.name = name
            self.sector = sector
            self.organization = organization
            self.presence = presence
        }
    }

    public struct Entry: Sendable {
        public var at, who, kind, item, text: String
        public init(at: String, who: String, kind: String, item: String, text: String) {
            self.at = at
            self.who = who
            self.kind = kind
            self.item = item
            self.text = text
        }
    }

    public var exerciseName: String
    public var territory: String
    public var date: String
    public var place: String
    public var attendees: [Attendee]
    /// "Introducción: 10:02", in order.
    public var stages: [String]
    public var interventions: [Entry]
    /// "Categoría — título", the agreements as they stood when the table closed.
    public var agreements: [String]
    /// Every statement of conformity, changes included, in order.
    public var conformity: [Entry]

    public init(
        exerciseName: String, territory: String, date: String, place: String, attendees: [Attendee], stages: [String],
        interventions: [Entry], agreements: [String], conformity: [Entry]
    ) {
        self.exerciseName = exerciseName
        self.territory = territory
        self.date = date
        self.place = place
        self.attendees = attendees
        self.stages = stages
        self.interventions = interventions
        self.agreements = agreements
        self.conformity = conformity
    }
}

/// The minutes as a PDF, its headings in the words of the language asked.
public enum MinutesPDF {
    public static func render(_ minutes: MinutesDocument, language: Language = .es) throws -> Data {
        let words = language.words
        return try PDFPages.render(
            title: words["pdfMinutesDocumentTitle", ["exercise": minutes.exerciseName]],
            footer: { page, total in
                (
                    words["pdfMinutesFooter", ["exercise": minutes.exerciseName, "date": minutes.date]],
                    words["pdfPage", ["page": "\(page)", "total": "\(total)"]]
                )
            }
        ) { pages in
            pages.text(words["pdfMinutesHeading"], size: 18, bold: true, spaceAfter: 4)
            pages.text("\(minutes.exerciseName) · \(minutes.territory)", size: 12, spaceAfter: 2)
            pages.text("\(minutes.date) · \(minutes.place)", size: 10, gray: 0.3, spaceAfter: 12)
            pages.text(words["pdfMinutesAttendance"], size: 13, bold: true, spaceAfter: 4)
            pages.table(
                [
                    .init(title: words["pdfName"], share: 0.32), .init(title: words["pdfSector"], share: 0.2),
                    .init(title: words["pdfOrganization"], share: 0.28), .init(title: words["pdfMinutesAttendance"], share: 0.2),
                ],
                rows: minutes.attendees.map { [$0.name, $0.sector, $0.organization, $0.presence] })
            pages.text(words["pdfMinutesStages"], size: 13, bold: true, spaceAfter: 4)
            pages.text(minutes.stages.joined(separator: " · "), size: 10, spaceAfter: 12)
            pages.text(words["pdfMinutesInterventions"], size: 13, bold: true, spaceAfter: 4)
            if minutes.interventions.isEmpty {
                pages.text(words["pdfMinutesNoInterventions"], size: 10, gray: 0.3, spaceAfter: 12)
            } else {
                pages.table(
                    [
                        .init(title: words["pdfMinutesTime"], share: 0.11), .init(title: words["pdfMinutesMember"], share: 0.2),
                        .init(title: words["pdfMinutesKind"], share: 0.17), .init(title: words["pdfMinutesItem"], share: 0.17),
                        .init(title: words["pdfMinutesIntervention"], share: 0.35),
                    ],
                    rows: minutes.interventions.map { [$0.at, $0.who, $0.kind, $0.item, $0.text] }, size: 8)
            }
            pages.text(words["pdfMinutesAgreements"], size: 13, bold: true, spaceAfter: 4)
            for (number, agreement) in minutes.agreements.enumerated() {
                pages.text("\(number + 1). \(agreement)", size: 10, spaceAfter: 3)
            }
            pages.space(8)
            pages.text(words["pdfMinutesConformity"], size: 13, bold: true, spaceAfter: 4)
            if minutes.conformity.isEmpty {
                pages.text(words["pdfMinutesNoConformity"], size: 10, gray: 0.3)
            } else {
                pages.table(
                    [
                        .init(title: words["pdfMinutesDate"], share: 0.16), .init(title: words["pdfMinutesMember"], share: 0.26),
                        .init(title: words["pdfMinutesStance"], share: 0.2), .init(title: words["pdfMinutesReason"], share: 0.38),
                    ],
                    rows: minutes.conformity.map { [$0.at, $0.who, $0.kind, $0.text] })
            }
        }
    }
}
