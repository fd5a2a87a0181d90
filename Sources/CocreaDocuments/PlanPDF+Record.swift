import CocreaCore
import Foundation

/// The PAL's parts written from the record: in «I. Introducción», the integration process and the
/// participants; «VIII. Medición de compromisos»; «IX. Anexos» with each table's minutes and
/// attendance. They lay out the record's blocks, which the reading view lays out as well.
extension PlanPDF {
    static func introductionRecord(_ plan: PlanDocument, words: Words, on pages: PDFPages) {
        guard let record = plan.record else { return }
        record.introduction(words).forEach { block($0, on: pages) }
    }

    static func measurement(_ plan: PlanDocument, words: Words, on pages: PDFPages) {
        guard let record = plan.record else { return }
        block(record.measurementBlock(words), on: pages)
    }

    static func annexes(_ plan: PlanDocument, words: Words, on pages: PDFPages) {
        guard let record = plan.record else { return }
        pages.keep(240)
        record.annexBlocks(words).forEach { block($0, on: pages) }
    }

    private static func block(_ block: PlanRecordBlock, on pages: PDFPages) {
        // As the numbered sections and their parts are headed.
        pages.keep(80)
        if block.level == 1 { pages.space(6) }
        pages.text(block.heading, size: block.level == 1 ? 15 : 12, bold: true, spaceAfter: block.level == 1 ? 8 : 5)
        for paragraph in block.paragraphs { pages.text(paragraph, size: 10, spaceAfter: 4) }
        pages.space(4)
        for table in block.tables {
            if !table.caption.isEmpty {
                pages.keep(60)
                pages.text(table.caption, size: 10, bold: true, spaceAfter: 4)
            }
            pages.table(table.columns.map { .init(title: $0.title, share: $0.share) }, rows: table.rows, size: 8)
        }
        pages.space(6)
    }
}
