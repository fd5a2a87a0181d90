import CocreaCore
import Foundation

/// The plan in the OGP commitment template as a Word document (.docx, WordprocessingML), which officials
/// open in Word or LibreOffice, complete where the PAL has no answer, and submit: a titled section per
/// commitment with the template's table (problem, description, analysis) and its planning table of
/// milestones. Letter paper, the version's code and page numbers in the footer; the template's words
/// and the proofing are the catalogue's in the language asked.
public enum OGPTemplateDOCX: WordprocessingML {
    public static let mediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    public static func render(_ template: OGPTemplate, language: Language = .es) throws -> Data {
        let words = language.words
        return try package(
            document: document(template, words: words),
            footer: footer(
                words["ogpTemplateFooter", ["version": "\(template.versionNumber)", "code": String(template.sha256.prefix(8).uppercased())]],
                words: words),
            title: words["ogpTemplateTitle", ["exercise": template.exerciseName, "version": "\(template.versionNumber)"]],
            language: words["languageTag"])
    }

    // MARK: The body

    private static func document(_ template: OGPTemplate, words: Words) -> String {
        var body = paragraph(run(words["ogpTemplateHeading"]), style: "Title")
        body += paragraph(run("\(template.exerciseName) · \(template.territory)", bold: true))
        let frozen = words["ogpTemplateFrozen", ["version": "\(template.versionNumber)", "frozenAt": template.frozenAt]]
        let sealed = template.sealedAt.map { words["ogpTemplateSealed", ["sealedAt": $0]] } ?? words["ogpTemplateNotSealed"]
        body += paragraph(run(frozen + " " + sealed))
        body += paragraph(
            run(words["ogpTemplateReference", ["plan": template.nationalPlan, "sha": template.sha256]], size: 16, color: "595959"))
        body += paragraph(run(words["ogpTemplateNote", ["notRecorded": words["ogpTemplateNotRecorded"]]], italic: true, color: "595959"))
        for commitment in template.commitments {
            body += self.commitment(commitment, words: words)
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(wordNamespace)" xmlns:r="\(relationshipsNamespace)"><w:body>\(body)<w:sectPr>\
            <w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="12240" w:h="15840"/>\
            <w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    private static func commitment(_ commitment: OGPTemplate.Commitment, words: Words) -> String {
        var xml = paragraph(
            run(words["ogpTemplateCommitment", ["number": "\(commitment.number)", "title": commitment.title]]), style: "Heading1", pageBreakBefore: true)
        let notRecorded = words["ogpTemplateNotRecorded"]
        func field(_ key: String, _ answer: String?) -> String { self.field(words[key], answer, notRecorded: notRecorded) }
        func section(_ key: String) -> String { self.section(words[key]) }
        let rows = [
            section("ogpTemplateGeneral"),
            field("ogpTemplateTitleQuestion", commitment.title),
            field("ogpTemplatePeriod", words["ogpTemplatePeriodValue", ["start": commitment.startsOn, "end": commitment.endsOn]]),
            field("ogpTemplateLead", OGPTemplate.recorded(commitment.leadInstitution)),
            field("ogpTemplateOtherActors", commitment.otherActors.isEmpty ? nil : commitment.otherActors.joined(separator: "\n")),
            field("ogpTemplateCoResponsible", commitment.coResponsible?.joined(separator: "\n")),
            field("ogpTemplateNational", commitment.nationalCommitment ?? words["ogpTemplateNationalNone"]),
            field("ogpTemplateCategory", commitment.category),
            section("ogpTemplateProblemSection"),
            field(
                "ogpTemplateProblem",
                [commitment.problem.statement, commitment.diagnosisProblem.map { words["ogpTemplateDiagnosis", ["problem": $0]] }]
                    .compactMap { $0 }.joined(separator: "\n").nonEmpty),
            field("ogpTemplateCauses", commitment.problem.causes),
            section("ogpTemplateDescriptionSection"),
            field("ogpTemplateDoneSoFar", commitment.description.doneSoFar),
            field("ogpTemplateSolution", commitment.description.solution),
            field("ogpTemplateResults", commitment.description.results),
            field("ogpTemplateIndicator", commitment.description.indicator.name),
            field("ogpTemplateBaseline", commitment.description.indicator.baseline),
            field("ogpTemplateTarget", commitment.description.indicator.target),
            field("ogpTemplateMeans", commitment.description.indicator.meansOfVerification),
            section("ogpTemplateAnalysisSection"),
            field("ogpTemplateTransparency", commitment.analysis.transparency),
            field("ogpTemplateAccountability", commitment.analysis.accountability),
            field("ogpTemplateParticipation", commitment.analysis.participation),
            field("ogpTemplateInnovation", commitment.analysis.innovation),
            section("ogpTemplateAdditionalSection"),
            field("ogpTemplateBudget", commitment.budget),
            field("ogpTemplateSdg", commitment.sdgTargets?.joined(separator: "\n")),
            field("ogpTemplateGender", commitment.genderPerspective),
            field("ogpTemplateAssumptions", commitment.assumptions),
        ]
        xml += table(widths: [questionWidth, textWidth - questionWidth], rows: rows)

        xml += paragraph(run(words["ogpTemplatePlanning"]), style: "Heading2")
        let widths = [2900, 2300, 1300, 1300, textWidth - 2900 - 2300 - 1300 - 1300]
        var planning = [
            row(
                header: true,
                zip(["ogpTemplateMilestones", "ogpTemplateOutputs", "ogpTemplateStart", "ogpTemplateEnd", "ogpTemplateStakeholders"], widths)
                    .map { cell(paragraph(run(words[$0], bold: true), style: "TableText"), width: $1, fill: "D9E2F3") }.joined())
        ]
        if commitment.milestones.isEmpty {
            planning.append(row(cell(answerParagraph(nil, notRecorded: notRecorded), width: textWidth, span: widths.count)))
        }
        for milestone in commitment.milestones {
            let outputs = [milestone.expectedOutputs, milestone.meansOfVerification.map { words["ogpTemplateOutputMeans", ["means": $0]] }]
                .compactMap { $0 }.joined(separator: "\n").nonEmpty
            planning.append(
                row(
                    [
                        cell(answerParagraph(milestone.title, notRecorded: notRecorded), width: widths[0]),
                        cell(answerParagraph(outputs, notRecorded: notRecorded), width: widths[1]),
                        cell(answerParagraph(milestone.startsOn, notRecorded: notRecorded), width: widths[2]),
                        cell(answerParagraph(milestone.dueOn, notRecorded: notRecorded), width: widths[3]),
                        cell(answerParagraph(milestone.stakeholders, notRecorded: notRecorded), width: widths[4]),
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
    private static func field(_ question: String, _ answer: String?, notRecorded: String) -> String {
        row(
            cell(paragraph(run(question, bold: true), style: "TableText"), width: questionWidth, fill: "F2F2F2")
                + cell(answerParagraph(answer, notRecorded: notRecorded), width: textWidth - questionWidth))
    }

    /// The PAL's text, or the visible mark that the PAL does not answer this.
    private static func answerParagraph(_ answer: String?, notRecorded: String) -> String {
        guard let answer = OGPTemplate.recorded(answer) else {
            return paragraph(run(notRecorded, italic: true, color: "7F7F7F"), style: "TableText")
        }
        return paragraph(run(answer), style: "TableText")
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
