import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Issue 19, point 1: each actor who signs with their e.firma adds a PDF signature of their own to the
/// signing copy, each covering everything before it, and the instance's seal comes last; pyHanko and
/// pdfsig agree, and a byte changed in the first revision is reported by all three.
@Suite struct EFirmaPDFSignaturesTests {
    static let luciaEmail = "lucia@datosabiertos-gdl.example"

    @Test(arguments: TestDatabase.all)
    func eachEFirmaIsAPDFSignatureCoveringEverythingBeforeItAndTheSealComesLast(database: TestDatabase) async throws {
        try await EFirmaSigning.run(database) { world in
            try await EFirmaSigning.record(rfc: "HEPL900305QX4", for: Self.luciaEmail, on: world.app)
            _ = try await world.sign()
            let first = try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.$signingFile.get(on: world.app.db))
            _ = try await world.sign(Self.luciaEmail, with: EFirmaSigning.lucia.value)
            let second = try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.$signingFile.get(on: world.app.db))
            #expect(second.data.prefix(first.data.count) == first.data, "the second signature appends to the first one's revision")
            #expect(try await StoredFile.find(first.id, on: world.app.db) == nil, "only the newest revision is kept")

            let anyone = APIClient(app: world.app, token: nil)
            // The signing copy is no file this instance sealed: its e.firma signatures hold, but nothing
            // here stands behind their certificates, so no holder is named.
            let (copyHeaders, copyBody) = SigningFlowTests.multipart(second.data, name: "pal-en-firma.pdf")
            let unsealed = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: copyHeaders, body: copyBody).body)
            #expect(!unsealed.authentic)
            #expect(unsealed.signatures?.map(\.intact) == [true, true])
            #expect(unsealed.signatures?.allSatisfy { $0.name.isEmpty && $0.rfc == nil && $0.serial == nil } == true)

            for person in world.setup.fixture.members.values where ![EFirmaSigning.institutionEmail, Self.luciaEmail].contains(person.email) {
                let token = try world.token(person.email)
                _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
                let code = try await SigningFlowTests.code(for: person.email, on: world.app)
                let answer = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
                #expect(answer.status == .ok, "\(answer.body.string)")
            }
            let sealed = Data(buffer: try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").body)
            #expect(sealed.prefix(second.data.count) == second.data, "the seal appends to the signed copy")

            let signatures = try PDFSignatures.all(in: sealed)
            #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.CAdES.detached", "adbe.pkcs7.detached"])
            #expect(signatures.map(\.coversUpTo) == signatures.map(\.coversUpTo).sorted() && Set(signatures.map(\.coversUpTo)).count == 3)
            #expect(signatures.map(\.coversWholeFile) == [false, false, true])

            let (headers, body) = SigningFlowTests.multipart(sealed, name: "pal.pdf")
            let verified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body).body)
            #expect(verified.authentic)
            let listed = try #require(verified.signatures)
            #expect(listed.map(\.method) == ["efirma", "efirma", "seal"])
            #expect(listed.map(\.rfc) == ["LOCM850412K7A", "HEPL900305QX4", nil])
            #expect(listed.map(\.name).prefix(2) == ["MARÍA FERNANDA LÓPEZ CASTAÑEDA", "LUCÍA HERNÁNDEZ PAREDES"])
            #expect(listed.prefix(2).allSatisfy { $0.issuer == "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA" && $0.serial?.isEmpty == false })
            #expect(listed.map(\.intact) == [true, true, true])
            #expect(listed.map(\.modifiedAfter) == [true, true, false])
            #expect(listed.map(\.coversUpTo) == signatures.map(\.coversUpTo))

            let verifier = Browser(app: world.app)
            try await verifier.get("/verify")
            let page = try await verifier.postMultipart(
                "/verify", fields: [], files: [(field: "file", name: "pal.pdf", type: "application/pdf", data: [UInt8](sealed))]
            ).body.string
            #expect(page.contains("<caption>Firmas del archivo</caption>"), "\(page)")
            #expect(page.contains("<th scope=\"row\">LUCÍA HERNÁNDEZ PAREDES</th>"))
            #expect(page.contains("RFC LOCM850412K7A") && page.contains("RFC HEPL900305QX4"))
            for signature in signatures { #expect(page.contains("Cubre hasta el byte \(signature.coversUpTo) de \(sealed.count)")) }
            #expect(page.components(separatedBy: "Se agregó algo después de esta firma").count == 3, "both e.firmas come before the seal")
            #expect(page.contains("Nada se agregó después salvo lo permitido"), "the seal is the last thing in the file")

            let judged = try await Self.pyHanko(sealed, instancePEM: world.app.identity.certificatePEM)
            #expect(
                judged == [
                    "efirma: intact valid FORM_FILLING ok", "efirma: intact valid FORM_FILLING ok", "seal: intact valid NONE ok",
                ], "\(judged)")
            let pdfsig = try await Tool.output(["pdfsig", "-nocert", "FILE"], input: sealed)
            #expect(pdfsig.components(separatedBy: "Signature is Valid").count == 4, "\(pdfsig)")
            let pdfaCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../support/pdfa_check.py").standardized
            let archival = try await Tool.output(["python3", pdfaCheck.path, "FILE"], input: sealed)
            #expect(archival.contains("PDF/A-2b: OK"), "\(archival)")

            // One byte changed in the first revision, inside what the first e.firma covers.
            var forged = [UInt8](sealed)
            forged[signatures[0].byteRange[1] / 2] ^= 0x20
            let (forgedHeaders, forgedBody) = SigningFlowTests.multipart(Data(forged), name: "pal.pdf")
            let rejected = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: forgedHeaders, body: forgedBody).body)
            #expect(!rejected.authentic)
            #expect(rejected.signatures?.map(\.intact) == [false, false, false])
            let broken = try await Self.pyHanko(Data(forged), instancePEM: world.app.identity.certificatePEM)
            #expect(broken.first?.hasPrefix("efirma: broken") == true, "\(broken)")
            let forgedSig = try await Tool.output(["pdfsig", "-nocert", "FILE"], input: Data(forged))
            #expect(!forgedSig.contains("Signature is Valid"), "\(forgedSig)")
        }
    }

    /// Each signature as pyHanko judges it (the test authorities and the instance certificate as trust
    /// anchors): whose it is, intact or broken, valid or not, and what it says of what came after.
    static func pyHanko(_ pdf: Data, instancePEM: String) async throws -> [String] {
        let authorities = try await EFirmaSigning.world.value
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-pyhanko-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            ("pal.pdf", pdf), ("instancia.pem", Data(instancePEM.utf8)), ("raiz.pem", Data(authorities.rootPEM.utf8)),
            ("intermedia.pem", Data(authorities.intermediatePEM.utf8)),
        ]
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
        let script = """
            import sys
            from pyhanko.keys import load_cert_from_pemder
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature
            from pyhanko_certvalidator import ValidationContext
            from asn1crypto import x509
            # The SAT writes the RFC in x500UniqueIdentifier as a string; asn1crypto expects a BIT STRING there.
            x509.NameTypeAndValue._oid_specs["unique_identifier"] = x509.DirectoryString
            folder = sys.argv[1]
            context = ValidationContext(
                trust_roots=[load_cert_from_pemder(folder + "/instancia.pem"), load_cert_from_pemder(folder + "/raiz.pem")],
                other_certs=[load_cert_from_pemder(folder + "/intermedia.pem")], allow_fetching=False, revocation_mode="soft-fail")
            with open(folder + "/pal.pdf", "rb") as f:
                for signature in PdfFileReader(f, strict=False).embedded_signatures:
                    kind = "efirma" if signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached" else "seal"
                    try:
                        status = validate_pdf_signature(signature, context)
                        level = status.modification_level.name if status.modification_level else "NONE"
                        print(kind + ":", "intact" if status.intact else "broken", "valid" if status.valid else "invalid", level,
                              "ok" if status.bottom_line else "refused")
                    except Exception as error:
                        print(kind + ": broken", type(error).__name__)
            """
        return try await Tool.output(["python3", "-c", script, directory.path], input: Data())
            .split(separator: "\n").map(String.init)
    }
}

/// What a reader of a signed PAL sees: its text, and the values of the fields the signatures filled
/// (drawn as outlines, which pdftotext does not read).
enum SignedPALText {
    static func of(_ pdf: Data) async throws -> String {
        let script = """
            import sys
            from pyhanko.pdf_utils.reader import PdfFileReader
            reader = PdfFileReader(open(sys.argv[1], "rb"))
            for field in reader.root["/AcroForm"]["/Fields"]:
                value = field.get_object().get("/V")
                if isinstance(value, str):
                    print(value)
            """
        let text = try await Tool.output(["pdftotext", "FILE", "-"], input: pdf)
        let values = try await Tool.output(["python3", "-c", script, "FILE"], input: pdf)
        return (text + "\n" + values).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
