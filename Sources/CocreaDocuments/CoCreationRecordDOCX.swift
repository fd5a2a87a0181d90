import CocreaCore
import Foundation
import ZIPFoundation

/// The co-creation record as a Word document (.docx, WordprocessingML), for the member's self-assessment
/// to the IRM to quote and complete: the same sections and tables as the PDF, letter paper, page numbers
/// in the footer, proofing in the language asked.
public enum CoCreationRecordDOCX {
    public static let mediaType = OGPTemplateDOCX.mediaType

    /// Every part gets this modification time, so the same record always gives the same bytes.
    private static let partDate = Date(timeIntervalSince1970: 1_767_268_800)  // 2026-01-01 12:00 UTC

    public static func render(_ record: CoCreationRecord, language: Language = .es) throws -> Data {
        let words = language.words
        let locale = language == .es ? "es-MX" : "en-US"
        let archive = try Archive(data: Data(), accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("docProps/core.xml", coreProperties(title: record.title, locale: locale)),
            ("word/_rels/document.xml.rels", documentRelationships),
            ("word/document.xml", document(record, words: words)),
            ("word/styles.xml", styles(locale: locale)),
            ("word/footer1.xml", footer(words["recordFooter", ["exercise": record.exerciseName]], words: words)),
        ]
        for (path, xml) in parts {
            let data = Data(xml.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: partDate, compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Usable width of a letter page with 2 cm margins, in twentieths of a point.
    private static let textWidth = 12240 - 2 * 1134

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

    // MARK: WordprocessingML

    private static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Text as XML character data, without the control characters XML 1.0 forbids (Word refuses them).
    private static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A run of text; its line breaks become Word's.
    private static func run(_ text: String, bold: Bool = false, italic: Bool = false, color: String? = nil) -> String {
        var properties = ""
        if bold { properties += "<w:b/>" }
        if italic { properties += "<w:i/>" }
        if let color { properties += "<w:color w:val=\"\(color)\"/>" }
        let content = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { "<w:t xml:space=\"preserve\">\(escape(String($0)))</w:t>" }.joined(separator: "<w:br/>")
        return "<w:r>\(properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>")\(content)</w:r>"
    }

    private static func paragraph(_ runs: String, style: String? = nil) -> String {
        "<w:p>\(style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? "")\(runs)</w:p>"
    }

    /// A table whose header row repeats on every page it spans.
    private static func table(widths: [Int], header: [String], rows: [[String]]) -> String {
        func cell(_ content: String, _ width: Int, fill: String? = nil) -> String {
            let shading = fill.map { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\($0)\"/>" } ?? ""
            return "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>\(shading)</w:tcPr>\(content)</w:tc>"
        }
        let grid = widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined()
        let head =
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
            + zip(header, widths).map { cell(paragraph(run($0, bold: true), style: "TableText"), $1, fill: "D9E2F3") }.joined() + "</w:tr>"
        let body = rows.map { row in
            "<w:tr>" + zip(row, widths).map { cell(paragraph(run($0), style: "TableText"), $1) }.joined() + "</w:tr>"
        }.joined()
        return "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>"
            + "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>\(grid)</w:tblGrid>\(head)\(body)</w:tbl>" + paragraph("")
    }

    private static func footer(_ text: String, words: Words) -> String {
        let parts = words["pdfPage", ["page": "\u{1}", "total": "\u{2}"]].components(separatedBy: "\u{1}")
        let between = parts.count == 2 ? parts[1].components(separatedBy: "\u{2}") : []
        let page = "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
        let total = "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"
        let numbering =
            between.count == 2
            ? run("\(text) · \(parts[0])") + page + run(between[0]) + total + run(between[1])
            : run(text)
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="\(wordNamespace)" xmlns:r="\(relationshipsNamespace)"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>\
            \(numbering)</w:p></w:ftr>
            """
    }

    // MARK: Package parts

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """

    private static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """

    private static let documentRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>\
        </Relationships>
        """

    private static func coreProperties(title: String, locale: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">\
        <dc:title>\(escape(title))</dc:title><dc:creator>Cocrea</dc:creator><dc:language>\(locale)</dc:language></cp:coreProperties>
        """
    }

    private static func styles(locale: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>\
        <w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="\(locale)" w:eastAsia="\(locale)" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
        <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>\
        <w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>\
        <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>\
        <w:pPr><w:keepNext/><w:spacing w:before="240" w:after="160"/><w:outlineLvl w:val="0"/></w:pPr>\
        <w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>\
        <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>\
        <w:pPr><w:keepNext/><w:spacing w:before="200" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>\
        <w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>\
        <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table text"/><w:basedOn w:val="Normal"/>\
        <w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>\
        <w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>\
        <w:rPr><w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>\
        <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>\
        <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>\
        <w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
        <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>\
        <w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/>\
        <w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/>\
        <w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/>\
        </w:tblBorders></w:tblPr></w:style>\
        </w:styles>
        """
    }
}
