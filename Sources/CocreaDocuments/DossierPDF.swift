import Foundation

/// The whole dossier as one PDF, for reading offline or printing before the table.
public enum DossierPDF {
    public static func render(_ dossier: DossierDocument) -> Data {
        let title = "Expediente previo — \(dossier.exerciseName)"
        return PDFPages.render(
            title: title,
            footer: { page, total in
                ("Expediente previo · \(dossier.exerciseName) · \(dossier.versionLabel)", "Página \(page) de \(total)")
            }
        ) { pages in
            pages.text("Expediente previo de la mesa de diálogo", size: 18, bold: true, spaceAfter: 4)
            pages.text("\(dossier.exerciseName) · \(dossier.territory)", size: 12, spaceAfter: 2)
            pages.text("\(dossier.versionLabel.sentenceCased) · generado el \(dossier.generatedAt)", size: 9, gray: 0.35, spaceAfter: 4)
            pages.text("Todas las personas deben contar con este expediente al menos 10 días antes de la mesa.", size: 9, gray: 0.35, spaceAfter: 14)
            pages.rule()
            for (number, item) in dossier.items.enumerated() {
                pages.keep(60)
                pages.text("\(number + 1). \(item.title)", size: 12, bold: true, spaceAfter: 2)
                var meta = "\(item.kind) · Aportado por \(item.contributedBy) · \(item.createdAt)"
                if !item.source.isEmpty { meta += " · Fuente: \(item.source)" }
                pages.text(meta, size: 8.5, gray: 0.35, spaceAfter: 6)
                pages.text(item.body, size: 10, spaceAfter: 6)
                if let file = item.file {
                    pages.text("Archivo adjunto: \(file.name) (\(file.data.count) bytes, SHA-256 \(file.sha256))", size: 8.5, gray: 0.35, spaceAfter: 6)
                }
                pages.rule()
            }
        }
    }
}
