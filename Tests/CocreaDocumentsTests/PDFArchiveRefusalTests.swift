import CocreaCore
import Foundation
import Testing

@testable import CocreaDocuments

/// A PDF the PDF/A-2b step refuses is an error the request answers with, never cairo's plain bytes
/// served as though they were the archival record.
@Suite struct PDFArchiveRefusalTests {
    @Test func aPDFThePDFAStepRefusesIsAnErrorWithItsReasonNotAPlainPDF() throws {
        // Already PDF/A-2b: a second update would write a second XMP packet and output intent.
        let conformed = try DossierPDF.render(DossierDocumentTests.dossier(items: 1))
        let notAPDF = Data("Expediente previo — Ejercicio local de gobierno abierto Jalisco 2026".utf8)
        for (input, reason) in [(conformed, "/Metadata"), (notAPDF, "El PDF no se puede leer")] {
            do {
                let served = try PDFArchive.conform(input, title: "Expediente previo", created: Date())
                Issue.record("served \(served.count) bytes instead of refusing")
            } catch let error as CocreaError {
                #expect(error.code == ErrorCode.internalError.rawValue)
                #expect(error.message.contains("PDF/A-2b"), "\(error.message)")
                #expect(String(reflecting: error).contains(reason), "the log says why: \(String(reflecting: error))")
            }
        }
    }
}
