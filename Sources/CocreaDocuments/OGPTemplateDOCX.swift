import Foundation
import ZIPFoundation

/// The plan in the OGP commitment template as a Word document (.docx, WordprocessingML), which officials
/// open in Word or LibreOffice, complete where the PAL has no answer, and submit: a titled section per
/// commitment with the template's table (problem, description, analysis) and its planning table of
/// milestones. Letter paper, Spanish (es-MX) proofing, the version's code and page numbers in the footer.
public enum OGPTemplateDOCX {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// Every part gets this instant as its modification time, so one plan version always gives the same
    /// bytes (a ZIP otherwise records the moment it was written).
    private static let partDate = Date(timeIntervalSince1970: 1_767_268_800)  // 2026-01-01 12:00 UTC

    public static func render(_ template: OGPTemplate) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("docProps/core.xml", coreProperties(template)),
            ("word/_rels/document.xml.rels", documentRelationships),
            ("word/document.xml", document(template)),
            ("word/styles.xml", styles),
            ("word/footer1.xml", footer(template)),
        ]
        for (path, xml) in parts {
            let data = Data(xml.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: partDate,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    // MARK: The body

    /// Usable width of a letter page with 2 cm margins, in twentieths of a point.
    private static let textWidth = 12240 - 2 * 1134

    private static func document(_ template: OGPTemplate) -> String {
        var body = paragraph(run("Plantilla de compromisos de la Alianza para el Gobierno Abierto"), style: "Title")
        body += paragraph(run("\(template.exerciseName) · \(template.territory)", bold: true))
        var status = "Plan de Acción Local, versión \(template.versionNumber), congelada el \(template.frozenAt). "
        status +=
            template.sealedAt.map { "Sellada con las firmas de todo el Secretariado Técnico Local el \($0)." }
            ?? "Esta versión aún no está sellada: faltan firmas, y no es el plan firmado."
        body += paragraph(run(status))
        body += paragraph(
            run(
                "Plan de acción nacional de referencia: \(template.nationalPlan). Huella SHA-256 del contenido: \(template.sha256)",
                size: 16, color: "595959"))
        body += paragraph(
            run(
                "El contenido proviene del PAL acordado en la mesa de diálogo. Las celdas «\(OGPTemplate.notRecorded)» "
                    + "son preguntas de la plantilla que el PAL no responde: deben completarse antes de enviarla.",
                italic: true, color: "595959"))
        for commitment in template.commitments {
            body += self.commitment(commitment)
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(wordNamespace)" xmlns:r="\(relationshipsNamespace)"><w:body>\(body)<w:sectPr>\
            <w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="12240" w:h="15840"/>\
            <w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    private static func commitment(_ commitment: OGPTemplate.Commitment) -> String {
        var xml = paragraph(run("Compromiso \(commitment.number). \(commitment.title)"), style: "Heading1", pageBreakBefore: true)
        let rows = [
            section("Información general"),
            field("Título del compromiso", commitment.title),
            field("Periodo de implementación", "Del \(commitment.startsOn) al \(commitment.endsOn)"),
            field("Institución responsable de la implementación", OGPTemplate.recorded(commitment.leadInstitution)),
            field("Otros actores involucrados", commitment.otherActors.isEmpty ? nil : commitment.otherActors.joined(separator: "\n")),
            field("Organizaciones corresponsables (sociedad civil, academia, sector privado u otras)", commitment.coResponsible?.joined(separator: "\n")),
            field(
                "Compromiso del plan de acción nacional de AGA con el que se alinea",
                commitment.nationalCommitment ?? "Ninguno: el PAL no lo vincula a un compromiso del plan nacional."),
            field("Categoría en el PAL", commitment.category),
            section("Definición del problema"),
            field(
                "¿Qué problema busca atender el compromiso?",
                [commitment.problem.statement, commitment.diagnosisProblem.map { "Problemática del diagnóstico: \($0)" }]
                    .compactMap { $0 }.joined(separator: "\n").nonEmpty),
            field("¿Cuáles son las causas del problema?", commitment.problem.causes),
            section("Descripción del compromiso"),
            field("¿Qué se ha hecho hasta ahora para resolver el problema?", commitment.description.doneSoFar),
            field("¿Qué solución se propone?", commitment.description.solution),
            field("¿Qué resultados se quieren lograr con la implementación del compromiso?", commitment.description.results),
            field("Indicador", commitment.description.indicator.name),
            field("Línea base", commitment.description.indicator.baseline),
            field("Meta", commitment.description.indicator.target),
            field("Medio de verificación", commitment.description.indicator.meansOfVerification),
            section("Análisis del compromiso"),
            field("¿Cómo promoverá la transparencia?", commitment.analysis.transparency),
            field("¿Cómo ayudará a fomentar la rendición de cuentas?", commitment.analysis.accountability),
            field(
                "¿Cómo mejorará la participación ciudadana en la definición, implementación y monitoreo de soluciones?",
                commitment.analysis.participation),
            field("¿Cómo contribuirán la tecnología y la innovación a la apertura del gobierno?", commitment.analysis.innovation),
            section("Información adicional"),
            field("Presupuesto y fuente de financiamiento", commitment.budget),
            field("Vínculo con la Agenda 2030 (metas de los Objetivos de Desarrollo Sostenible)", commitment.sdgTargets?.joined(separator: "\n")),
            field("Perspectiva de género", commitment.genderPerspective),
            field("Supuestos y riesgos", commitment.assumptions),
        ]
        xml += table(widths: [questionWidth, textWidth - questionWidth], rows: rows)

        xml += paragraph(run("Planificación del compromiso"), style: "Heading2")
        let widths = [2900, 2300, 1300, 1300, textWidth - 2900 - 2300 - 1300 - 1300]
        var planning = [
            row(
                header: true,
                zip(
                    [
                        "Hitos", "Productos esperados", "Fecha de inicio prevista", "Fecha de finalización prevista",
                        "Partes interesadas (responsables)",
                    ], widths
                )
                .map { cell(paragraph(run($0, bold: true), style: "TableText"), width: $1, fill: "D9E2F3") }.joined())
        ]
        if commitment.milestones.isEmpty {
            planning.append(row(cell(answerParagraph(nil), width: textWidth, span: widths.count)))
        }
        for milestone in commitment.milestones {
            planning.append(
                row(
                    [
                        cell(answerParagraph(milestone.title), width: widths[0]),
                        cell(answerParagraph(milestone.outputs), width: widths[1]),
                        cell(answerParagraph(milestone.startsOn), width: widths[2]),
                        cell(answerParagraph(milestone.dueOn), width: widths[3]),
                        cell(answerParagraph(milestone.stakeholders), width: widths[4]),
                    ].joined()))
        }
        xml += table(widths: widths, rows: planning)
        return xml
    }

    /// The width of the template's questions in a commitment's table; the PAL's answers take the rest.
    private static let questionWidth = 3300

    /// A shaded row naming a part of the template, across the whole table.
    private static func section(_ title: String) -> String {
        row(cell(paragraph(run(title, bold: true, color: "FFFFFF"), style: "TableText"), width: textWidth, span: 2, fill: "1F3864"))
    }

    /// A question of the template and the PAL's answer to it.
    private static func field(_ question: String, _ answer: String?) -> String {
        row(
            cell(paragraph(run(question, bold: true), style: "TableText"), width: questionWidth, fill: "F2F2F2")
                + cell(answerParagraph(answer), width: textWidth - questionWidth))
    }

    /// The PAL's text, or the visible mark that the PAL does not answer this.
    private static func answerParagraph(_ answer: String?) -> String {
        guard let answer = OGPTemplate.recorded(answer) else {
            return paragraph(run(OGPTemplate.notRecorded, italic: true, color: "7F7F7F"), style: "TableText")
        }
        return paragraph(run(answer), style: "TableText")
    }

    // MARK: WordprocessingML

    private static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Text as XML character data: markup characters escaped, and the characters XML 1.0 forbids
    /// (control codes pasted from other programs) dropped, since Word refuses a file that has them.
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

    /// A run of text; line breaks and tabs in the text become Word's own.
    private static func run(_ text: String, bold: Bool = false, italic: Bool = false, size: Int? = nil, color: String? = nil) -> String {
        var properties = ""
        if bold { properties += "<w:b/>" }
        if italic { properties += "<w:i/>" }
        if let color { properties += "<w:color w:val=\"\(color)\"/>" }
        if let size { properties += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>" }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        let content = lines.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false)
                .map { "<w:t xml:space=\"preserve\">\(escape(String($0)))</w:t>" }.joined(separator: "<w:tab/>")
        }.joined(separator: "<w:br/>")
        return "<w:r>\(properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>")\(content)</w:r>"
    }

    private static func paragraph(_ runs: String, style: String? = nil, pageBreakBefore: Bool = false) -> String {
        var properties = style.map { "<w:pStyle w:val=\"\($0)\"/>" } ?? ""
        if pageBreakBefore { properties += "<w:pageBreakBefore/>" }
        return "<w:p>\(properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>")\(runs)</w:p>"
    }

    private static func cell(_ content: String, width: Int, span: Int = 1, fill: String? = nil) -> String {
        var properties = "<w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
        if span > 1 { properties += "<w:gridSpan w:val=\"\(span)\"/>" }
        if let fill { properties += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\(fill)\"/>" }
        return "<w:tc><w:tcPr>\(properties)</w:tcPr>\(content)</w:tc>"
    }

    /// A table row that stays on one page; a header row repeats at the top of every page the table spans.
    private static func row(header: Bool = false, _ cells: String) -> String {
        "<w:tr><w:trPr><w:cantSplit/>\(header ? "<w:tblHeader/>" : "")</w:trPr>\(cells)</w:tr>"
    }

    private static func table(widths: [Int], rows: [String]) -> String {
        let grid = widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined()
        return "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>"
            + "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>\(grid)</w:tblGrid>\(rows.joined())</w:tbl>"
            + paragraph("")
    }

    private static func footer(_ template: OGPTemplate) -> String {
        let code = "Plantilla de compromisos AGA · PAL v\(template.versionNumber) · \(template.sha256.prefix(8).uppercased()) · Página "
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="\(wordNamespace)" xmlns:r="\(relationshipsNamespace)"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>\
            \(run(code))<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>\(run(" de "))\
            <w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>
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

    private static func coreProperties(_ template: OGPTemplate) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">\
        <dc:title>\(escape("Plantilla de compromisos AGA — \(template.exerciseName) — PAL versión \(template.versionNumber)"))</dc:title>\
        <dc:creator>Cocrea</dc:creator><dc:language>es-MX</dc:language></cp:coreProperties>
        """
    }

    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
        <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>\
        <w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="es-MX" w:eastAsia="es-MX" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
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
        <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Texto de tabla"/><w:basedOn w:val="Normal"/>\
        <w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr></w:style>\
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

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
