import Foundation

/// The plan in the OGP commitment template as a Word document (.docx, WordprocessingML), which officials
/// open in Word or LibreOffice, complete where the PAL has no answer, and submit: a titled section per
/// commitment with the template's table (problem, description, analysis) and its planning table of
/// milestones. Letter paper, Spanish (es-MX) proofing, the version's code and page numbers in the footer.
public enum OGPTemplateDOCX: WordprocessingML {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    public static func render(_ template: OGPTemplate) throws -> Data {
        try package(
            document: document(template),
            footer: footer(
                before: "Plantilla de compromisos AGA · PAL v\(template.versionNumber) · \(template.sha256.prefix(8).uppercased()) · Página ",
                between: " de "),
            title: "Plantilla de compromisos AGA — \(template.exerciseName) — PAL versión \(template.versionNumber)", language: "es-MX")
    }

    // MARK: The body

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
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
