import CocreaCore
import Foundation

/// The co-creation record as a Word document (.docx, WordprocessingML), for the member's self-assessment
/// to the IRM to quote and complete: the same sections and tables as the PDF, letter paper, page numbers
/// in the footer, proofing in the language asked.
public enum CoCreationRecordDOCX: WordprocessingML {
    public static let mediaType = OGPTemplateDOCX.mediaType

    public static func render(_ record: CoCreationRecord, language: Language = .es) throws -> Data {
        let words = language.words
        return try package(
            document: document(record, words: words), footer: footer(words["recordFooter", ["exercise": record.exerciseName]], words: words),
            title: record.title, language: words["languageTag"])
    }

    private static func document(_ record: CoCreationRecord, words: Words) -> String {
        var body = paragraph(run(words["recordHeading"]), style: "Title")
        body += paragraph(run("\(record.exerciseName) · \(record.territory)", bold: true))
        for line in record.summary { body += paragraph(run(line, color: "595959")) }
        body += paragraph(run(words["recordIntroduction"]))

        func heading(_ key: String) { body += paragraph(run(words[key]), style: "Heading1") }
        func subheading(_ text: String) { body += paragraph(run(text), style: "Heading2") }
        func note(_ key: String) { body += paragraph(run(words[key], italic: true, color: "595959")) }
        func grid(_ headers: [String], _ shares: [Double], _ rows: [[String]]) {
            let total = shares.reduce(0, +)
            var widths = shares.map { Int(Double(textWidth) * $0 / total) }
            widths[widths.count - 1] += textWidth - widths.reduce(0, +)
            body += table(widths: widths, header: headers, rows: rows)
        }
        func counts(_ first: String, _ counts: CoCreationRecord.Counts) {
            grid([words[first]] + record.sectorColumns, [0.4] + record.sectorColumns.map { _ in 0.6 / Double(record.sectorColumns.count) }, counts.rows)
        }

        heading("recordRoadmap")
        if record.roadmap.isEmpty {
            note("recordNoRoadmap")
        } else {
            grid(
                ["recordEvent", "recordDates", "recordPlace", "recordFirstAnnounced", "recordChanges", "recordHeld"].map { words[$0] },
                [0.22, 0.15, 0.16, 0.13, 0.21, 0.13],
                record.roadmap.map { ["\($0.title)\n\($0.kind)", $0.dates, $0.place, $0.firstAnnounced, $0.changes.joined(separator: "\n"), $0.held] })
        }

        heading("recordDocuments")
        if record.documents.isEmpty {
            note("recordNoDocuments")
        } else {
            grid(
                ["recordDocument", "recordKind", "recordSource", "recordDate", "recordLink"].map { words[$0] }, [0.3, 0.16, 0.18, 0.11, 0.25],
                record.documents)
        }

        heading("recordRoundtables")
        if record.roundtables.isEmpty { note("recordNoRoundtables") }
        for roundtable in record.roundtables {
            subheading(roundtable.heading)
            body += paragraph(run(roundtable.state, color: "595959"))
            if let attendance = roundtable.attendance { counts("recordAttendance", attendance) }
            if !roundtable.stages.isEmpty { body += paragraph(run(roundtable.stages)) }
            if !roundtable.interventions.isEmpty {
                grid(
                    ["recordTime", "pdfSector", "recordKind", "recordItem", "recordIntervention"].map { words[$0] }, [0.09, 0.16, 0.14, 0.18, 0.43],
                    roundtable.interventions)
            }
        }

        heading("recordConsultation")
        grid([words["recordConcept"], words["recordCount"]], [0.75, 0.25], record.consultation.map { [$0.label, $0.value] })
        subheading(words["recordOutcomes"])
        grid([words["recordOutcome"], words["recordCount"]], [0.75, 0.25], record.outcomes.map { [$0.label, $0.value] })
        if !record.hidden.isEmpty {
            subheading(words["recordHidden"])
            grid([words["recordNumber"], words["recordPublicReason"]], [0.12, 0.88], record.hidden)
        }
        if !record.responses.isEmpty {
            subheading(words["recordResponses"])
            grid(
                ["recordNumber", "recordProblem", "recordOutcome", "recordReason", "recordCommitments"].map { words[$0] },
                [0.08, 0.26, 0.15, 0.33, 0.18], record.responses)
        }

        heading("recordVersions")
        if record.versions.isEmpty { note("recordNoVersions") }
        for version in record.versions {
            subheading(version.heading)
            for change in version.changes { body += paragraph(run("• \(change)")) }
            counts("recordConformity", version.conformity)
        }

        heading("recordSignatures")
        body += paragraph(run(record.sealed))
        if !record.signatures.isEmpty {
            grid(
                ["pdfName", "pdfSector", "pdfOrganization", "recordDate", "recordMethod"].map { words[$0] }, [0.26, 0.16, 0.26, 0.16, 0.16],
                record.signatures)
        }

        heading("recordTraceability")
        if record.traces.isEmpty {
            note("recordNoTraces")
        } else {
            grid([words["recordCommitment"], words["recordOrigin"]], [0.4, 0.6], record.traces)
        }

        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(wordNamespace)" xmlns:r="\(relationshipsNamespace)"><w:body>\(body)<w:sectPr>\
            <w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="12240" w:h="15840"/>\
            <w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    /// A table whose header row repeats on every page it spans.
    private static func table(widths: [Int], header: [String], rows: [[String]]) -> String {
        let head = row(
            header: true,
            zip(header, widths).map { cell(paragraph(run($0, bold: true), style: "TableText"), width: $1, fill: "D9E2F3") }.joined())
        let body = rows.map { values in
            row(zip(values, widths).map { cell(paragraph(run($0), style: "TableText"), width: $1) }.joined())
        }
        return table(widths: widths, rows: [head] + body)
    }
}
