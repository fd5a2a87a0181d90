import CocreaCore
import Foundation

/// The co-creation record as a PDF, its headings in the words of the language asked.
public enum CoCreationRecordPDF {
    public static func render(_ record: CoCreationRecord, language: Language = .es) throws -> Data {
        let words = language.words
        return try PDFPages.render(
            title: record.title,
            footer: { page, total in
                (
                    words["recordFooter", ["exercise": record.exerciseName]],
                    words["pdfPage", ["page": "\(page)", "total": "\(total)"]]
                )
            }
        ) { pages in
            func heading(_ key: String) {
                pages.keep(60)
                pages.text(words[key], size: 14, bold: true, spaceAfter: 4)
            }
            func note(_ text: String) { pages.text(text, size: 10, gray: 0.3, spaceAfter: 10) }
            func columns(_ keys: [(String, Double)]) -> [PDFPages.Column] { keys.map { .init(title: words[$0.0], share: $0.1) } }
            func counts(_ first: String, _ counts: CoCreationRecord.Counts) {
                let share = 0.6 / Double(record.sectorColumns.count)
                pages.table(
                    [.init(title: words[first], share: 0.4)] + record.sectorColumns.map { .init(title: $0, share: share) }, rows: counts.rows)
            }

            pages.text(words["recordHeading"], size: 18, bold: true, spaceAfter: 4)
            pages.text("\(record.exerciseName) · \(record.territory)", size: 12, spaceAfter: 4)
            for line in record.summary { pages.text(line, size: 10, gray: 0.3, spaceAfter: 2) }
            pages.space(6)
            pages.text(words["recordIntroduction"], size: 10, spaceAfter: 12)

            heading("recordRoadmap")
            if record.roadmap.isEmpty {
                note(words["recordNoRoadmap"])
            } else {
                pages.table(
                    columns([
                        ("recordEvent", 0.22), ("recordDates", 0.15), ("recordPlace", 0.16), ("recordFirstAnnounced", 0.13),
                        ("recordChanges", 0.21), ("recordHeld", 0.13),
                    ]),
                    rows: record.roadmap.map {
                        ["\($0.title)\n\($0.kind)", $0.dates, $0.place, $0.firstAnnounced, $0.changes.joined(separator: "\n"), $0.held]
                    }, size: 8)
            }

            heading("recordDocuments")
            if record.documents.isEmpty {
                note(words["recordNoDocuments"])
            } else {
                pages.table(
                    columns([("recordDocument", 0.3), ("recordKind", 0.16), ("recordSource", 0.18), ("recordDate", 0.11), ("recordLink", 0.25)]),
                    rows: record.documents, size: 8)
            }

            heading("recordRoundtables")
            if record.roundtables.isEmpty { note(words["recordNoRoundtables"]) }
            for table in record.roundtables {
                pages.keep(80)
                pages.text(table.heading, size: 11, bold: true, spaceAfter: 2)
                pages.text(table.state, size: 9, gray: 0.3, spaceAfter: 6)
                if let attendance = table.attendance { counts("recordAttendance", attendance) }
                if !table.stages.isEmpty { pages.text(table.stages, size: 9, spaceAfter: 6) }
                if !table.interventions.isEmpty {
                    pages.table(
                        columns([
                            ("recordTime", 0.09), ("pdfSector", 0.16), ("recordKind", 0.14), ("recordItem", 0.18), ("recordIntervention", 0.43),
                        ]), rows: table.interventions, size: 8)
                }
            }

            heading("recordConsultation")
            pages.table(
                columns([("recordConcept", 0.75), ("recordCount", 0.25)]), rows: record.consultation.map { [$0.label, $0.value] })
            pages.text(words["recordOutcomes"], size: 11, bold: true, spaceAfter: 4)
            pages.table(columns([("recordOutcome", 0.75), ("recordCount", 0.25)]), rows: record.outcomes.map { [$0.label, $0.value] })
            if !record.hidden.isEmpty {
                pages.text(words["recordHidden"], size: 11, bold: true, spaceAfter: 4)
                pages.table(columns([("recordNumber", 0.12), ("recordPublicReason", 0.88)]), rows: record.hidden, size: 8)
            }
            if !record.responses.isEmpty {
                pages.text(words["recordResponses"], size: 11, bold: true, spaceAfter: 4)
                pages.table(
                    columns([
                        ("recordNumber", 0.08), ("recordProblem", 0.26), ("recordOutcome", 0.15), ("recordReason", 0.33), ("recordCommitments", 0.18),
                    ]), rows: record.responses, size: 8)
            }

            heading("recordVersions")
            if record.versions.isEmpty { note(words["recordNoVersions"]) }
            for version in record.versions {
                pages.keep(80)
                pages.text(version.heading, size: 11, bold: true, spaceAfter: 4)
                for change in version.changes { pages.text("• \(change)", size: 9, indent: 8, spaceAfter: 2) }
                pages.space(4)
                counts("recordConformity", version.conformity)
            }

            heading("recordSignatures")
            pages.text(record.sealed, size: 10, spaceAfter: 6)
            if !record.signatures.isEmpty {
                pages.table(
                    columns([("pdfName", 0.26), ("pdfSector", 0.16), ("pdfOrganization", 0.26), ("recordDate", 0.16), ("recordMethod", 0.16)]),
                    rows: record.signatures, size: 8)
            }

            heading("recordTraceability")
            if record.traces.isEmpty {
                note(words["recordNoTraces"])
            } else {
                pages.table(columns([("recordCommitment", 0.4), ("recordOrigin", 0.6)]), rows: record.traces, size: 8)
            }
        }
    }
}
