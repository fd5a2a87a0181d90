import CCairo
import CocreaCore
import Foundation

/// The Plan de Acción Local as a PDF, in the sections local plans run: a cover with the STL's members;
/// I. Introducción (context and challenges); II. Contexto normativo; III. Definiciones; IV. Objetivo
/// estratégico; V. Objetivos específicos; VI. Problemáticas y compromisos; VII. Plantillas de
/// compromisos (a table per commitment with its activities); VIII. Medición de compromisos; IX.
/// Anexos; then the signature page (firma al calce) and, when sealed, the signature certificate. Every
/// page's footer holds one initials box per signing actor (rubrica), the version's short code, a QR
/// code to its public verification page and "Página N de M". Its words are the catalogue's in the
/// language asked; the plan that is signed and sealed is the Spanish one.
public enum PlanPDF {
    static let boxHeight = 30.0
    static let boxLabelHeight = 15.0
    static let minimumBoxWidth = 78.0
    static let gap = 6.0
    static let qrSize = 58.0

    public static func render(_ plan: PlanDocument, language: Language = .es) throws -> Data {
        try render(plan, language: language, fields: nil)
    }

    /// A read-only text field of the signing copy: its name and where it sits, in PDF points from the
    /// bottom-left corner of its page (counted from 0).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var page: Int
        public var x: Double, y: Double, width: Double, height: Double
    }

    /// The copy the actors sign: the frozen PAL laid out once for everyone who signs it, with a field
    /// wherever a signature will show (each actor's initials box on every page, their line at the foot,
    /// their row and the log of the certificate page, the sealing line), so each signature and the seal
    /// only fill fields in an incremental update and earlier PDF signatures stay intact.
    public static func renderSigningCopy(_ plan: PlanDocument) throws -> (pdf: Data, fields: [Field]) {
        var copy = plan
        for index in copy.signers.indices { copy.signers[index].mark = nil }
        copy.certificate = copy.certificate ?? PlanDocument.Certificate(sealedAt: "", events: [])
        let fields = FieldCollector()
        let pdf = try render(copy, language: .es, fields: fields)
        return (pdf, fields.fields)
    }

    /// The names of the signing copy's fields, which the signing flow fills.
    public enum FieldName {
        public static func initials(_ key: String, page: Int) -> String { "rubrica-\(key)-\(page)" }
        public static func signature(_ key: String) -> String { "firma-\(key)" }
        public static func certificateRow(_ key: String) -> String { "constancia-\(key)" }
        /// The actor's own PDF signature field, when they sign with their e.firma.
        public static func efirma(_ key: String) -> String { "efirma-\(key)" }
        public static let sealing = "constancia-sello"
        public static let log = "constancia-bitacora"
    }

    /// The fields laid out while the drawing pass runs (the counting pass lays out none).
    final class FieldCollector {
        var fields: [Field] = []

        func add(_ name: String, page: Int, box: PDFPages.Rect, on pages: PDFPages) {
            guard pages.isDrawing else { return }
            fields.append(
                Field(name: name, page: page - 1, x: box.x, y: PDFPages.pageHeight - box.y - box.height, width: box.width, height: box.height))
        }
    }

    static func render(_ plan: PlanDocument, language: Language, fields: FieldCollector?) throws -> Data {
        let words = language.words
        let qr = QRCode(plan.verificationURL)
        let footer = FooterLayout(signers: plan.signers.count)
        let title = words["pdfPlanDocumentTitle", ["exercise": plan.exerciseName, "version": "\(plan.versionNumber)"]]
        return try PDFPages.render(
            title: title, footerHeight: footer.height,
            footer: { pages, page, total, area in
                drawFooter(plan, words: words, qr: qr, layout: footer, page: page, total: total, area: area, fields: fields, on: pages)
            }
        ) { pages in
            cover(plan, words: words, on: pages)
            // I. Introducción: the STL's context and challenges; the record's «proceso de integración»
            // and «participantes» follow it here.
            section(words["pdfPlanSectionIntroduction"], on: pages)
            narrative(plan.narrative.contextAndChallenges, heading: words["pdfPlanContextAndChallenges"], words: words, on: pages)
            introductionRecord(plan, words: words, on: pages)
            section(words["pdfPlanSectionNormativeContext"], on: pages)
            narrative(plan.narrative.normativeContext, words: words, on: pages)
            section(words["pdfPlanSectionDefinitions"], on: pages)
            narrative(plan.narrative.definitions, words: words, on: pages)
            section(words["pdfPlanSectionStrategicObjective"], on: pages)
            narrative(plan.narrative.strategicObjective, words: words, on: pages)
            section(words["pdfPlanSectionSpecificObjectives"], on: pages)
            narrative(plan.narrative.specificObjectives, words: words, on: pages)
            problems(plan, words: words, on: pages)
            section(words["pdfPlanSectionTemplates"], on: pages)
            pages.text(words["pdfPlanCommitmentsNote"], size: 9, gray: 0.3, spaceAfter: 12)
            for (number, commitment) in plan.commitments.enumerated() {
                self.commitment(commitment, number: number + 1, words: words, on: pages)
            }
            // VIII. Medición de compromisos and IX. Anexos, generated from the record, follow here.
            measurement(plan, words: words, on: pages)
            annexes(plan, words: words, on: pages)
            signaturePage(plan, words: words, fields: fields, on: pages)
            if let fields {
                signingCopyCertificatePage(plan, words: words, fields: fields, on: pages)
            } else if let certificate = plan.certificate {
                certificatePage(plan, certificate, words: words, on: pages)
            }
        }
    }

    /// How many initials boxes fit on a row beside the QR code, and the footer height that follows.
    struct FooterLayout {
        var perRow: Int
        var rows: Int
        var height: Double

        init(signers: Int) {
            let available = PDFPages.pageWidth - 2 * PDFPages.margin - PlanPDF.qrSize - PlanPDF.gap
            perRow = max(1, Int((available + PlanPDF.gap) / (PlanPDF.minimumBoxWidth + PlanPDF.gap)))
            rows = max(1, (signers + perRow - 1) / perRow)
            let boxes = Double(rows) * (PlanPDF.boxLabelHeight + PlanPDF.boxHeight + 4)
            height = max(PlanPDF.qrSize + 24, 10 + boxes + 16)
        }
    }

    private static func cover(_ plan: PlanDocument, words: Words, on pages: PDFPages) {
        pages.text(words["pdfPlanHeading"], size: 22, bold: true, spaceAfter: 4)
        pages.text(plan.exerciseName, size: 14, spaceAfter: 2)
        pages.text(plan.territory, size: 12, gray: 0.3, spaceAfter: 10)
        pages.text(words["pdfPlanFrozen", ["version": "\(plan.versionNumber)", "frozenAt": plan.frozenAt]], size: 10, spaceAfter: 2)
        pages.text(words["pdfPlanFingerprint", ["sha": plan.sha256]], size: 8, gray: 0.35, spaceAfter: 2)
        pages.text(words["pdfPlanVerification", ["url": plan.verificationURL]], size: 8, gray: 0.35, spaceAfter: 14)
        pages.text(words["pdfPlanMembers"], size: 13, bold: true, spaceAfter: 6)
        pages.table(
            [
                .init(title: words["pdfName"], share: 0.36), .init(title: words["pdfSector"], share: 0.24),
                .init(title: words["pdfOrganization"], share: 0.40),
            ],
            rows: plan.signers.map { [$0.name, $0.sector, $0.organization] })
    }

    /// A numbered section's heading («II. Contexto normativo»), kept with the lines that follow it.
    static func section(_ heading: String, on pages: PDFPages) {
        pages.keep(80)
        pages.space(6)
        pages.text(heading, size: 15, bold: true, spaceAfter: 8)
    }

    /// A subsection's heading inside a numbered section («Contexto y retos»).
    static func subsection(_ heading: String, on pages: PDFPages) {
        pages.keep(50)
        pages.text(heading, size: 12, bold: true, spaceAfter: 5)
    }

    /// A section the STL wrote: its paragraphs, and its lists as bulleted items; a note when the
    /// version has no text for it, so the numbering stays that of the plans people know.
    private static func narrative(_ text: String, heading: String? = nil, words: Words, on pages: PDFPages) {
        if let heading { subsection(heading, on: pages) }
        let blocks = PlanNarrative.blocks(text)
        if blocks.isEmpty {
            pages.text(words["pdfPlanSectionEmpty"], size: 9, gray: 0.4, spaceAfter: 12)
            return
        }
        for block in blocks {
            switch block {
            case .paragraph(let paragraph):
                pages.text(paragraph, size: 10, spaceAfter: 7)
            case .list(let items):
                for item in items { pages.text("•  \(item)", size: 10, indent: 12, spaceAfter: 3) }
                pages.space(5)
            }
        }
        pages.space(6)
    }

    /// VI. Problemáticas y compromisos: each problem once, with the commitments that answer it.
    private static func problems(_ plan: PlanDocument, words: Words, on pages: PDFPages) {
        section(words["pdfPlanSectionProblems"], on: pages)
        for group in PlanProblems.grouped(plan.commitments.map(\.problem)) {
            pages.keep(40)
            pages.text(group.problem.isEmpty ? words["pdfPlanProblemUnstated"] : group.problem, size: 10, bold: true, spaceAfter: 3)
            for position in group.commitments {
                let title = words["pdfPlanCommitment", ["number": "\(position + 1)", "title": plan.commitments[position].title]]
                pages.text("•  \(title)", size: 10, indent: 12, spaceAfter: 3)
            }
            pages.space(6)
        }
    }

    private static func commitment(_ commitment: PlanDocument.Commitment, number: Int, words: Words, on pages: PDFPages) {
        pages.keep(120)
        pages.text(words["pdfPlanCommitment", ["number": "\(number)", "title": commitment.title]], size: 12.5, bold: true, spaceAfter: 6)
        var rows = [[words["pdfPlanCategory"], commitment.category]]
        if let link = commitment.link { rows.append([words["pdfPlanLink"], link]) }
        if !commitment.origin.isEmpty { rows.append([words["pdfPlanOrigin"], commitment.origin.map { $0.text(words) }.joined(separator: "\n")]) }
        rows += [
            [words["pdfPlanProblem"], commitment.problem],
            [words["pdfPlanDescription"], commitment.description],
            [words["pdfPlanObjective"], commitment.objective],
            [words["pdfPlanIndicator"], commitment.indicator],
            [words["pdfPlanBaseline"], commitment.baseline],
            [words["pdfPlanTarget"], commitment.target],
            [words["pdfPlanMeansOfVerification"], commitment.meansOfVerification],
            [words["pdfPlanSpan"], commitment.span],
            [words["pdfPlanLeadInstitution"], commitment.leadInstitution],
        ]
        if !commitment.ogpValues.isEmpty {
            let values = commitment.ogpValues.map { $0.why.isEmpty ? words[$0.value.labelKey] : "\(words[$0.value.labelKey]): \($0.why)" }
            rows.append([words["pdfPlanOgpValues"], values.joined(separator: "\n")])
        }
        rows += commitment.template.map { [words[$0.key], $0.text] }
        if let budget = commitment.budget?.text(words) { rows.append([words["pdfPlanBudget"], budget]) }
        pages.table([.init(title: "", share: 0.27), .init(title: "", share: 0.73)], rows: rows, showHeader: false, spaceAfter: 8)
        pages.text(words["pdfPlanActivities"], size: 10, bold: true, spaceAfter: 4)
        pages.table(
            [
                .init(title: words["pdfPlanActivity"], share: 0.34), .init(title: words["pdfPlanResponsible"], share: 0.21),
                .init(title: words["pdfPlanInstitution"], share: 0.21), .init(title: words["pdfPlanDueOn"], share: 0.24),
            ],
            rows: commitment.activities.map { activity in
                let details = [
                    activity.startsOn.isEmpty ? nil : words["pdfPlanActivityStart", ["date": activity.startsOn]],
                    activity.deliverable.isEmpty ? nil : words["pdfPlanDeliverable", ["value": activity.deliverable]],
                    activity.meansOfVerification.isEmpty ? nil : words["pdfPlanActivityVerification", ["value": activity.meansOfVerification]],
                ].compactMap { $0 }
                return [([activity.title] + details).joined(separator: "\n"), activity.responsible, activity.institution, activity.dueOn]
            }, spaceAfter: 16)
    }

    private static func signaturePage(_ plan: PlanDocument, words: Words, fields: FieldCollector?, on pages: PDFPages) {
        pages.newPage()
        pages.text(words["pdfPlanSignatures"], size: 16, bold: true, spaceAfter: 6)
        pages.text(words["pdfPlanSignaturesStatement", ["shortCode": plan.shortCode]], size: 10, spaceAfter: 18)
        for signer in plan.signers {
            pages.keep(66)
            pages.space(22)
            if let fields {
                let (page, box) = pages.reserve(11, spaceAfter: 2)
                fields.add(FieldName.signature(signer.key), page: page, box: box, on: pages)
            } else {
                pages.text(
                    signer.mark.map { words["pdfPlanSignedAt", ["signedAt": $0.signedAt, "method": $0.method]] } ?? " ", size: 8, gray: 0.3, spaceAfter: 2)
            }
            pages.rule(spaceAfter: 2)
            pages.text(signer.name, size: 10, bold: true, spaceAfter: 1)
            pages.text("\(signer.sector) · \(signer.organization)", size: 9, gray: 0.3, spaceAfter: 4)
        }
    }

    private static func certificatePage(_ plan: PlanDocument, _ certificate: PlanDocument.Certificate, words: Words, on pages: PDFPages) {
        pages.newPage()
        pages.text(words["pdfPlanCertificate"], size: 16, bold: true, spaceAfter: 6)
        pages.text(words["pdfPlanSealed", ["shortCode": plan.shortCode, "sealedAt": certificate.sealedAt]], size: 10, spaceAfter: 2)
        pages.text(words["pdfPlanVersionFingerprint", ["sha": plan.sha256]], size: 8.5, gray: 0.3, spaceAfter: 10)
        pages.table(
            [
                .init(title: words["pdfName"], share: 0.26), .init(title: words["pdfSector"], share: 0.16),
                .init(title: words["pdfOrganization"], share: 0.22), .init(title: words["pdfPlanSigned"], share: 0.14),
                .init(title: words["pdfPlanSignedHow"], share: 0.22),
            ],
            rows: plan.signers.map { [$0.name, $0.sector, $0.organization, $0.mark?.signedAt ?? "—", $0.mark?.method ?? "—"] })
        pages.text(words["pdfPlanSigningLog"], size: 11, bold: true, spaceAfter: 4)
        for event in certificate.events {
            pages.text(event, size: 8.5, gray: 0.2, spaceAfter: 2)
        }
        pages.space(8)
        pages.text(words["pdfPlanSealNote", ["url": plan.verificationURL]], size: 8.5, gray: 0.3)
    }

    /// The certificate page of the signing copy: the same facts as the sealed one, each actor's row and
    /// the log left as fields the signatures and the seal fill.
    private static func signingCopyCertificatePage(_ plan: PlanDocument, words: Words, fields: FieldCollector, on pages: PDFPages) {
        pages.newPage()
        pages.text(words["pdfPlanCertificate"], size: 16, bold: true, spaceAfter: 6)
        let (sealingPage, sealingBox) = pages.reserve(26, spaceAfter: 2)
        fields.add(FieldName.sealing, page: sealingPage, box: sealingBox, on: pages)
        pages.text(words["pdfPlanVersionFingerprint", ["sha": plan.sha256]], size: 8.5, gray: 0.3, spaceAfter: 10)
        for signer in plan.signers {
            pages.keep(52)
            pages.text("\(signer.name) · \(signer.sector) · \(signer.organization)", size: 9, bold: true, spaceAfter: 2)
            let (page, box) = pages.reserve(30, spaceAfter: 4)
            fields.add(FieldName.certificateRow(signer.key), page: page, box: box, on: pages)
            pages.rule(spaceAfter: 4)
        }
        pages.text(words["pdfPlanSigningLog"], size: 11, bold: true, spaceAfter: 4)
        let (logPage, logBox) = pages.reserve(240, spaceAfter: 8)
        fields.add(FieldName.log, page: logPage, box: logBox, on: pages)
        pages.text(words["pdfPlanSealNote", ["url": plan.verificationURL]], size: 8.5, gray: 0.3)
    }

    private static func drawFooter(
        _ plan: PlanDocument, words: Words, qr: QRCode?, layout: FooterLayout, page: Int, total: Int, area: PDFPages.Rect, fields: FieldCollector?,
        on pages: PDFPages
    ) {
        let top = area.y + 6
        pages.line(from: (area.x, top), to: (area.x + area.width, top))
        let qrX = area.x + area.width - qrSize
        if let qr { pages.qrCode(qr, at: (qrX, top + 6), size: qrSize) }
        let boxesWidth = area.width - qrSize - gap
        let boxWidth = (boxesWidth - gap * Double(layout.perRow - 1)) / Double(layout.perRow)
        for (index, signer) in plan.signers.enumerated() {
            let row = Double(index / layout.perRow)
            let column = Double(index % layout.perRow)
            let x = area.x + column * (boxWidth + gap)
            let y = top + 4 + row * (boxLabelHeight + boxHeight + 4)
            pages.label(
                words["pdfPlanInitials", ["name": signer.name]], in: .init(x: x, y: y, width: boxWidth, height: boxLabelHeight), size: 5, gray: 0.35, lines: 2)
            let box = PDFPages.Rect(x: x, y: y + boxLabelHeight, width: boxWidth, height: boxHeight)
            pages.stroke(box)
            fields?.add(
                FieldName.initials(signer.key, page: page), page: page,
                box: .init(x: box.x + 1.5, y: box.y + 1.5, width: box.width - 3, height: box.height - 3), on: pages)
            if let mark = signer.mark {
                pages.label(signer.initials, in: .init(x: x + 3, y: box.y + 3, width: boxWidth - 6, height: 12), size: 10, bold: true, gray: 0.05)
                pages.label(mark.signedAt, in: .init(x: x + 3, y: box.y + 18, width: boxWidth - 6, height: 8), size: 5, gray: 0.25)
            }
        }
        let bottomLine = area.y + area.height - 10
        pages.label("\(plan.shortCode) · \(plan.exerciseName)", in: .init(x: area.x, y: bottomLine, width: boxesWidth - 90, height: 10), size: 7)
        pages.label(
            words["pdfPage", ["page": "\(page)", "total": "\(total)"]], in: .init(x: area.x + boxesWidth - 84, y: bottomLine, width: 84, height: 10), size: 7,
            alignment: PANGO_ALIGN_RIGHT)
    }
}

extension PlanPDF {
    /// Whether the signing copy `pdf` has a field named `name` (the copy's own fields, written by
    /// `PDFForm`, name themselves as text strings).
    public static func hasField(_ name: String, in pdf: Data) -> Bool {
        pdf.range(of: Data("/T \(PDFSyntax.textString(name))".utf8)) != nil
    }
}
