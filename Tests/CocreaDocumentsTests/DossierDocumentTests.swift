import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The dossier's PDF and ZIP, opened and read back with independent tools (poppler, Python's zipfile).
@Suite struct DossierDocumentTests {
    static func dossier(items count: Int) -> DossierDocument {
        let long = String(repeating: "Las recetas surtidas de forma incompleta superaron el 30 % en varios centros de salud; ", count: 12)
        let kit = Data("%PDF-1.4\n%%EOF\n".utf8)
        return DossierDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco",
            versionLabel: "versión 2", generatedAt: "miércoles 25 de noviembre de 2026, 10:00",
            items: (1...count).map { number in
                DossierDocument.Item(
                    kind: number == 1 ? "Kit de capacidades" : "Problemática",
                    title: number == 1 ? "Kit de capacidades: guía de co-creación" : "Problemática \(number): desabasto de medicamentos en la región \(number)",
                    body: long, source: "Relatoría del evento de arranque", contributedBy: "Mtra. Adriana Velázquez Ruiz (ITEI)",
                    createdAt: "martes 24 de noviembre de 2026, 18:30",
                    file: number == 1 ? .init(name: "guía de co-creación.pdf", sha256: "abc123", data: kit) : nil)
            })
    }

    @Test func longDossierFlowsAcrossPagesWithPageNumbersOnEveryPage() async throws {
        let pdf = try DossierPDF.render(Self.dossier(items: 12))
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        let info = try await Tool.output(["pdfinfo", "FILE"], input: pdf)
        let pages = try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
                .flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(pages >= 3)
        #expect(info.contains("Expediente previo — Ejercicio local de gobierno abierto Jalisco 2026"))
        for page in 1...pages {
            let text = try await Tool.output(["pdftotext", "-layout", "-f", "\(page)", "-l", "\(page)", "FILE", "-"], input: pdf)
            #expect(text.contains("Página \(page) de \(pages)"), "page \(page)")
        }
        let all = try await Tool.output(["pdftotext", "FILE", "-"], input: pdf)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(all.contains("Problemática 12: desabasto de medicamentos en la región 12"))
        #expect(all.contains("guía de co-creación.pdf"))
        let fonts = try await Tool.output(["pdffonts", "FILE"], input: pdf)
        #expect(fonts.contains("DejaVuSans"))
        #expect(!fonts.split(separator: "\n").dropFirst(2).contains { $0.contains(" no ") && $0.contains("emb") == false }, "fonts are embedded")
    }

    @Test func zipHoldsEveryFileAndAnIndexOfEveryItem() async throws {
        let zip = try DossierArchive.zip(Self.dossier(items: 3))
        let script = """
            import zipfile, sys
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print("\\n".join(sorted(z.namelist())))
            print(z.read("expediente.txt").decode("utf-8"))
            """
        let listing = try await Tool.output(["python3", "-c", script, "FILE"], input: zip)
        #expect(listing.contains("archivos/01-guía de co-creación.pdf"))
        #expect(listing.contains("expediente.txt"))
        #expect(listing.contains("3. Problemática: Problemática 3: desabasto de medicamentos en la región 3"))
        #expect(listing.contains("SHA-256 abc123"))
    }
}
