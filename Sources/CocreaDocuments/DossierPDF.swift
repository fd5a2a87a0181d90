import CocreaCore
import Foundation

/// The whole dossier as one PDF, for reading offline or printing before the table, in the words of the
/// language asked.
public enum DossierPDF {
    public static func render(_ dossier: DossierDocument, language: Language = .es) throws -> Data {
        let words = language.words
        return try PDFPages.render(
            title: words["pdfDossierDocumentTitle", ["exercise": dossier.exerciseName]],
            footer: { page, total in
                (
                    words["pdfDossierFooter", ["exercise": dossier.exerciseName, "version": dossier.versionLabel]],
                    words["pdfPage", ["page": "\(page)", "total": "\(total)"]]
                )
            }
        ) { pages in
            pages.text(words["pdfDossierHeading"], size: 18, bold: true, spaceAfter: 4)
            pages.text("\(dossier.exerciseName) · \(dossier.territory)", size: 12, spaceAfter: 2)
            pages.text(
                words["pdfDossierGenerated", ["version": dossier.versionLabel.sentenceCased, "generatedAt": dossier.generatedAt]],
                size: 9, gray: 0.35, spaceAfter: 4)
            pages.text(words["pdfDossierTenDays"], size: 9, gray: 0.35, spaceAfter: 14)
            pages.rule()
            for (number, item) in dossier.items.enumerated() {
                pages.keep(60)
                pages.text("\(number + 1). \(item.title)", size: 12, bold: true, spaceAfter: 2)
                var meta = words["pdfDossierItemMeta", ["kind": item.kind, "contributedBy": item.contributedBy, "createdAt": item.createdAt]]
                if !item.source.isEmpty { meta += " · " + words["pdfDossierItemSource", ["source": item.source]] }
                pages.text(meta, size: 8.5, gray: 0.35, spaceAfter: 6)
                pages.text(item.body, size: 10, spaceAfter: 6)
                if let file = item.file {
                    pages.text(
                        words["pdfDossierAttachment", ["name": file.name, "bytes": "\(file.data.count)", "sha": file.sha256]],
                        size: 8.5, gray: 0.35, spaceAfter: 6)
                }
                pages.rule()
            }
        }
    }
}
