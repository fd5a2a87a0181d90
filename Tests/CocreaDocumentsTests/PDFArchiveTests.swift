import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The PDFs people receive are PDF/A-2b, checked by `Tests/support/pdfa_check.py` (veraPDF cannot be
/// installed here; docs/pdfa.md says what the check covers), and the seal keeps them so while it
/// still carries its manifest.
@Suite struct PDFArchiveTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../fixtures").standardized

    /// The checker's verdict: its exit status and one line per unmet requirement.
    static func pdfaCheck(_ pdf: Data) async throws -> (status: Int32, output: String) {
        let input = try PDFSealTests.file(pdf, "documento.pdf")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../support/pdfa_check.py").standardized
        let check = try await Tool.run("python3", [script.path, input.path])
        return (check.status, check.combined)
    }

    @Test func theSealedPlanIsPDFA2bAndItsSealStaysValid() async throws {
        let pdf = try PlanPDF.render(PlanPDFTests.plan(commitments: 5, signed: true))
        let rendered = try await Self.pdfaCheck(pdf)
        #expect(rendered.status == 0, "\(rendered.output)")
        let (sealed, identity, certificatePEM) = try PDFSealTests.sealed(pdf)
        let check = try await Self.pdfaCheck(sealed)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("PDF/A-2b: OK"))
        #expect(try await PDFSealTests.pdfsig(sealed).contains("Signature is Valid"))
        let hanko = try await PDFSealTests.pyHanko(sealed, certificatePEM: certificatePEM)
        #expect(hanko.output.contains("The signature is judged VALID"), "\(hanko.output)")
        let verification = await PDFSeal.verify(sealed, trusting: identity.certificate)
        #expect(verification.manifest == PDFSealTests.manifest)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("/EmbeddedFile"))
    }

    @Test func everyOtherPDFPeopleReceiveIsPDFA2b() async throws {
        let documents =
            try DocumentLanguageTests.documents(.es) + [
                (
                    "informe de avance",
                    ProgressReportPDF.render(ProgressReportPDFTests.finalReport(), sha256: String(repeating: "d", count: 64), zone: ProgressReportPDFTests.zone)
                )
            ]
        for (name, pdf) in documents {
            let check = try await Self.pdfaCheck(pdf)
            #expect(check.status == 0, "\(name): \(check.output)")
        }
    }

    @Test func theDocumentsMetadataSaysWhatItsInfoDictionarySays() async throws {
        let pdf = try DossierPDF.render(DossierDocumentTests.dossier(items: 2))
        let info = try await Tool.output(["pdfinfo", "FILE"], input: pdf)
        #expect(info.contains("Expediente previo — Ejercicio local de gobierno abierto Jalisco 2026"), "\(info)")
        #expect(info.contains("Creator:         Cocrea"), "\(info)")
        let xmp = try await Tool.output(["pdfinfo", "-meta", "FILE"], input: pdf)
        #expect(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "\(xmp)")
        #expect(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"))
        #expect(xmp.contains("Expediente previo — Ejercicio local de gobierno abierto Jalisco 2026"))
    }

    @Test func aManifestWithMarkupCharactersComesBackWhole() async throws {
        let manifest = Data(#"{"exercise":"Salud & transparencia <Jalisco> 2026","signers":[{"name":"Lic. José Ángel Ñúñez"}]}"#.utf8)
        let generated = try InstanceIdentity.generate(commonName: "Cocrea · ITEI Jalisco")
        let sealed = try PDFSeal.apply(
            to: DossierPDF.render(DossierDocumentTests.dossier(items: 1)), identity: generated.identity, manifest: manifest, signingTime: Date(),
            signerName: "Cocrea · ITEI Jalisco", reason: "Prueba")
        #expect(await PDFSeal.verify(sealed, trusting: generated.identity.certificate).manifest == manifest)
        #expect(try await Self.pdfaCheck(sealed).status == 0)
    }

    /// A PAL sealed before decision 18 carries its manifest as an embedded file: it still verifies,
    /// and the check names what made it fall short of PDF/A-2b.
    @Test func aPlanSealedWithAnEmbeddedManifestStillVerifiesButIsNotPDFA() async throws {
        let old = try Data(contentsOf: Self.fixtures.appendingPathComponent("pal-sellado-con-manifiesto-adjunto.pdf"))
        let pem = try String(contentsOf: Self.fixtures.appendingPathComponent("pal-sellado-con-manifiesto-adjunto.pem"), encoding: .utf8)
        let verification = await PDFSeal.verify(old, trusting: try InstanceIdentity.certificate(pem: pem))
        #expect(verification.authentic)
        #expect(verification.manifest == PDFSealTests.manifest)
        let check = try await Self.pdfaCheck(old)
        #expect(check.status == 1)
        for problem in [
            "the catalog has no /Metadata XMP stream", "no /OutputIntents entry", "the trailer has no /ID", "the file embeds files", "has no /CIDToGIDMap",
        ] {
            #expect(check.output.contains(problem), "\(check.output)")
        }
    }
}
