import Foundation
import Testing

@testable import CocreaDocuments

/// A scanned paper copy must have the plan's pages: counted from the page tree's leaves, as poppler
/// counts them, whatever the file claims about itself.
@Suite struct PDFPageCountTests {
    /// A PDF with a classic cross-reference table built from `objects` (object 1 is the catalogue).
    static func pdf(_ objects: [String]) -> Data {
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        text += offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }

    @Test func aPlanHasThePagesPopplerCounts() async throws {
        for count in [1, 6] {
            let plan = try PlanPDF.render(PlanPDFTests.plan(commitments: count))
            #expect(try PDFPageCount.pages(in: plan) == (try await PlanPDFTests.pageCount(plan)))
        }
    }

    @Test func aPageTreeIsCountedByItsLeavesNotByWhatItClaims() throws {
        let boasting = Self.pdf([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 40 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ])
        #expect(try PDFPageCount.pages(in: boasting) == 1)
    }

    @Test func aTreeThatLoopsOrIsNoPDFIsRefused() {
        let looping = Self.pdf([
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
            "<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ])
        #expect(throws: PDFSignatureError.self) { try PDFPageCount.pages(in: looping) }
        #expect(throws: PDFSignatureError.self) { try PDFPageCount.pages(in: Data("%PDF-1.4\n% copia firmada a mano\n%%EOF\n".utf8)) }
    }
}
