import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The PAL's form and its several signatures: fields placed once before anyone signs, each later
/// signature an update that fills its signer's fields, checked by pyHanko, pdfsig, the PDF/A check
/// and Cocrea's own reader.
@Suite struct PDFFormTests {
    static let pedro = SharedFixture { try await EFirmaTests.world.value.issue(name: "PEDRO RAMÍREZ LUNA", rfc: "RALP750505H21", curp: "RALP750505HJCMND08") }

    /// An initials box per actor on every page and a cell per actor on the last one.
    static func boxes(pages: Int) -> [PDFFieldBox] {
        (0..<pages).flatMap { page in
            [
                PDFFieldBox(name: "rubrica-juana-p\(page + 1)", page: page, x: 380, y: 20, width: 60, height: 24),
                PDFFieldBox(name: "rubrica-pedro-p\(page + 1)", page: page, x: 450, y: 20, width: 60, height: 24),
            ]
        } + [
            PDFFieldBox(name: "constancia-juana", page: pages - 1, x: 60, y: 200, width: 220, height: 40),
            PDFFieldBox(name: "constancia-pedro", page: pages - 1, x: 300, y: 200, width: 220, height: 40),
        ]
    }

    static func values(_ actor: String, _ initials: String, pages: Int, certificate: String) -> [String: String] {
        var values = ["constancia-\(actor)": certificate]
        for page in 1...pages { values["rubrica-\(actor)-p\(page)"] = initials }
        return values
    }

    static func form() async throws -> (pdf: Data, pages: Int) {
        let rendered = try PlanPDF.render(PlanPDFTests.plan(commitments: 3, signed: true))
        let pages = try await PlanPDFTests.pageCount(rendered)
        return (try PDFForm.addingFields(boxes(pages: pages), to: rendered), pages)
    }

    /// An e.firma's PDF signature over the byte range, filling `values` in the same update.
    static func efirma(_ pdf: Data, _ holder: EFirmaWorld.Holder, rfc: String, field: String, name: String, values: [String: String]) async throws -> Data {
        let trust = try await EFirmaTests.world.value.trust
        return try PDFForm.signing(
            pdf, filling: values, fieldName: field, subFilter: "ETSI.CAdES.detached", signingTime: Date(), name: name,
            reason: "Firma del Plan de Acción Local con e.firma"
        ) { range in
            var password = Array(holder.password.utf8)
            return Data(
                try EFirma.sign(
                    range, certificate: holder.certificate, privateKey: holder.key, password: &password, rfc: rfc, curp: nil,
                    trust: trust, at: Date()
                ).cms)
        }
    }

    /// Two actors sign with e.firma, the second also filling fields, then the instance seals.
    static func signedByAll() async throws -> (pdf: Data, pages: Int, certificatePEM: String, identity: InstanceIdentity) {
        let (form, pages) = try await Self.form()
        let juana = try await efirma(
            form, EFirmaTests.juana.value, rfc: "PEGJ800101AB1", field: "firma-juana", name: "JUANA PÉREZ GÓMEZ",
            values: values("juana", "JPG", pages: pages, certificate: "Juana Pérez Gómez · e.firma · RFC PEGJ800101AB1"))
        let pedro = try await efirma(
            juana, try await pedro.value, rfc: "RALP750505H21", field: "firma-pedro", name: "PEDRO RAMÍREZ LUNA",
            values: values("pedro", "PRL", pages: pages, certificate: "Pedro Ramírez Luna · e.firma · RFC RALP750505H21"))
        let generated = try InstanceIdentity.generate(commonName: "Cocrea · ITEI Jalisco")
        let sealed = try PDFSeal.apply(
            to: pedro, identity: generated.identity, manifest: PDFSealTests.manifest, signingTime: Date(), signerName: "Cocrea · ITEI Jalisco",
            reason: "Plan de Acción Local firmado por todas las personas integrantes")
        return (sealed, pages, generated.certificatePEM, generated.identity)
    }

    /// pyHanko's verdict on every signature: field, intact, valid, trusted, modification level, bottom line.
    static func pyHanko(_ pdf: Data, trusting certificatePEM: String) async throws -> [String] {
        let input = try PDFSealTests.file(pdf, "firmado.pdf")
        let instance = try PDFSealTests.file(Data(certificatePEM.utf8), "instancia.pem")
        let world = try await EFirmaTests.world.value
        let root = try PDFSealTests.file(Data(world.rootPEM.utf8), "raiz.pem")
        let intermediate = try PDFSealTests.file(Data(world.intermediatePEM.utf8), "intermedia.pem")
        // The SAT writes the RFC in x500UniqueIdentifier as a string, where asn1crypto expects the
        // BIT STRING of X.520 and cannot read the subject at all; it is told the SAT's type.
        let script = """
            import sys
            from asn1crypto import x509
            x509.NameTypeAndValue._oid_specs["unique_identifier"] = x509.DirectoryString
            from pyhanko.keys import load_cert_from_pemder
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature
            from pyhanko_certvalidator import ValidationContext
            context = ValidationContext(
                trust_roots=[load_cert_from_pemder(sys.argv[2]), load_cert_from_pemder(sys.argv[3])],
                other_certs=[load_cert_from_pemder(sys.argv[4])], allow_fetching=False, revocation_mode="soft-fail")
            with open(sys.argv[1], "rb") as f:
                for signature in PdfFileReader(f).embedded_signatures:
                    status = validate_pdf_signature(signature, context)
                    level = status.modification_level.name if status.modification_level else None
                    print(signature.field_name, status.intact, status.valid, status.trusted, level, status.bottom_line)
            """
        let output = try await Tool.output(["python3", "-c", script, input.path, instance.path, root.path, intermediate.path], input: Data())
        return output.split(separator: "\n").map(String.init)
    }

    @Test func fieldsArePlacedEmptyAndReadOnlyAndTheFileStaysPDFA() async throws {
        let (pdf, pages) = try await Self.form()
        let check = try await PDFArchiveTests.pdfaCheck(pdf)
        #expect(check.status == 0, "\(check.output)")
        let script = """
            import sys
            from pyhanko.pdf_utils.reader import PdfFileReader
            r = PdfFileReader(open(sys.argv[1], "rb"))
            fields = r.root["/AcroForm"]["/Fields"]
            print(len(fields), all(f.get_object()["/Ff"] == 1 and f.get_object()["/F"] == 4 and "/V" not in f.get_object() for f in fields))
            """
        let fields = try await Tool.output(["python3", "-c", script, "FILE"], input: pdf)
        #expect(fields.hasPrefix("\(2 * pages + 2) True"), "\(fields)")
        #expect(try PDFSignatures.all(in: pdf).isEmpty)
    }

    /// The PDF/A check sees what a form could break: a field left for the viewer to draw.
    @Test func aFieldWithoutItsOwnAppearanceFailsThePDFACheck() async throws {
        let (pdf, _) = try await Self.form()
        let file = try PDFFile([UInt8](pdf))
        let catalog = try file.dictionary(of: try #require(file.trailer.reference("Root")))
        let formObject = try #require(catalog.reference("AcroForm"))
        let form = try file.dictionary(of: formObject)
        let field = try #require(form.references("Fields").first)
        let widget = try file.dictionary(of: field)
        var update = PDFUpdate(file)
        update.object(formObject, form.setting([("NeedAppearances", "true")]))
        update.object(field, String(decoding: widget.text, as: UTF8.self).replacingOccurrences(of: "/AP <<", with: "/MK <<"))
        let check = try await PDFArchiveTests.pdfaCheck(Data(try update.finish()))
        #expect(check.status == 1)
        #expect(check.output.contains("rubrica-juana-p1 has no appearance of its own"), "\(check.output)")
        #expect(check.output.contains("/NeedAppearances true"), "\(check.output)")
    }

    @Test func aFilledFieldShowsItsTextAsOutlinesWithoutAnyNewFont() async throws {
        let (pdf, pages) = try await Self.form()
        let filled = try PDFForm.filling(Self.values("juana", "JPG", pages: pages, certificate: "Juana Pérez Gómez · código por correo"), in: pdf)
        #expect(filled.prefix(pdf.count) == pdf, "one incremental update")
        #expect(try await PDFArchiveTests.pdfaCheck(filled).status == 0)
        let fonts = { (file: Data) in try await Tool.output(["pdffonts", "FILE"], input: file) }
        #expect(try await fonts(filled) == fonts(pdf))
        let picture = { (file: Data) in try await Tool.output(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "FILE"], input: file) }
        #expect(try await picture(filled) != picture(pdf), "the initials are drawn on the page")
    }

    @Test func fillingAFieldTheFileDoesNotHaveIsRefused() async throws {
        let (pdf, _) = try await Self.form()
        #expect(throws: PDFSignatureError.self) { try PDFForm.filling(["rubrica-maria-p1": "MGS"], in: pdf) }
        #expect(throws: PDFSignatureError.self) {
            try PDFForm.addingFields([PDFFieldBox(name: "rubrica-juana-p1", page: 0, x: 10, y: 10, width: 40, height: 20)], to: pdf)
        }
        #expect(throws: PDFSignatureError.self) {
            try PDFForm.addingFields([PDFFieldBox(name: "rubrica-maria-p99", page: 98, x: 10, y: 10, width: 40, height: 20)], to: pdf)
        }
    }

    /// Files an attacker could hand over: each is refused with a PDF error, never a crash.
    @Test(arguments: [
        "%PDF-1.4\ntrailer << /Root 1 0 R >>\nstartxref\n0\n%%EOF",
        "%PDF-1.7\n1 0 obj << /Type /Catalog /AcroForm << /Fields [1 0 R] >> >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n71\n%%EOF",
        "%PDF-1.7\n1 0 obj << /Type /Catalog /AcroForm << /Fields [9 0 R] >> >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n71\n%%EOF",
        "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R /AcroForm << /Fields [1 0 R] >> /FT /Tx /T (a) /Rect [0 0 1e308 1] >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n122\n%%EOF",
    ])
    func fillingAHostileFileIsRefusedNotFatal(_ file: String) {
        #expect(throws: PDFSignatureError.self) { try PDFForm.filling(["a": "JPG"], in: Data(file.utf8)) }
        #expect(throws: PDFSignatureError.self) { try PDFSignatures.all(in: Data(file.utf8)) }
    }

    @Test func everySignatureStaysIntactWhenLaterOnesFillTheirFields() async throws {
        let (pdf, pages, certificatePEM, identity) = try await Self.signedByAll()
        let check = try await PDFArchiveTests.pdfaCheck(pdf)
        #expect(check.status == 0, "\(check.output)")

        let signatures = try PDFSignatures.all(in: pdf)
        #expect(signatures.map(\.fieldName) == ["firma-juana", "firma-pedro", "Sello Cocrea"])
        #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.CAdES.detached", "adbe.pkcs7.detached"])
        #expect(signatures.map(\.coversWholeFile) == [false, false, true])
        #expect(signatures[0].coversUpTo < signatures[1].coversUpTo)
        for signature in signatures.prefix(2) {
            let verdict = try await EFirmaTests.world.value.opensslVerifies([UInt8](signature.cms), over: [UInt8](signature.signedBytes))
            #expect(verdict.accepted, "\(signature.fieldName): \(verdict.output)")
        }
        #expect(await PDFSeal.verify(pdf, trusting: identity.certificate).manifest == PDFSealTests.manifest)

        let hanko = try await Self.pyHanko(pdf, trusting: certificatePEM)
        #expect(
            hanko == [
                "firma-juana True True True FORM_FILLING True",
                "firma-pedro True True True FORM_FILLING True",
                "Sello Cocrea True True True NONE True",
            ], "\(hanko)")
        let report = try await PDFSealTests.pdfsig(pdf)
        #expect(report.components(separatedBy: "Signature Validation: Signature is Valid.").count == 4, "\(report)")
        #expect(report.contains("ETSI.CAdES.detached"), "\(report)")
        #expect(try await PlanPDFTests.text(pdf, page: pages).contains("Página \(pages) de \(pages)"))
    }

    @Test func oneByteChangedInTheFirstRevisionBreaksTheFirstSignatureForEveryChecker() async throws {
        let (pdf, _, certificatePEM, _) = try await Self.signedByAll()
        let first = try #require(try PDFSignatures.all(in: pdf).first)
        var bytes = [UInt8](pdf)
        bytes[first.byteRange[1] / 2] ^= 0x01
        let forged = Data(bytes)

        let signatures = try PDFSignatures.all(in: forged)
        #expect(try await !EFirmaTests.world.value.opensslVerifies([UInt8](signatures[0].cms), over: [UInt8](signatures[0].signedBytes)).accepted)
        let hanko = try await Self.pyHanko(forged, trusting: certificatePEM)
        #expect(hanko.first?.hasPrefix("firma-juana False") == true, "\(hanko)")
        let report = try await PDFSealTests.pdfsig(forged)
        let firstReport = try #require(report.components(separatedBy: "Signature #2").first)
        #expect(!firstReport.contains("Signature is Valid"), "\(report)")
    }
}
