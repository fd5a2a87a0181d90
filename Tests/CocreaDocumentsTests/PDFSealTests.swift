import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The instance's PDF signature, checked by independent validators: poppler's pdfsig and pyHanko.
@Suite struct PDFSealTests {
    static let manifest = Data(#"{"planVersionId":"6b1f9f3e-2c1a-4b0e-9d57-3f1e2a4c5b6d","signers":[{"name":"Mtra. Adriana Velázquez Ruiz"}]}"#.utf8)

    static func sealed(_ pdf: Data) throws -> (Data, InstanceIdentity, String) {
        let generated = try InstanceIdentity.generate(commonName: "Cocrea · ITEI Jalisco")
        let sealed = try PDFSeal.apply(
            to: pdf, identity: generated.identity, manifest: manifest, signingTime: Date(),
            signerName: "Cocrea · ITEI Jalisco", reason: "Plan de Acción Local firmado por todas las personas integrantes")
        return (sealed, generated.identity, generated.certificatePEM)
    }

    static func file(_ data: Data, _ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-seal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    static func pdfsig(_ pdf: Data) async throws -> String {
        try await Tool.output(["pdfsig", "FILE"], input: pdf)
    }

    static func pyHanko(_ pdf: Data, certificatePEM: String) async throws -> (status: Int32, output: String) {
        let input = try file(pdf, "sealed.pdf")
        let trust = try file(Data(certificatePEM.utf8), "instance.pem")
        let validation = try await Tool.run(
            "pyhanko", ["sign", "validate", "--pretty-print", "--no-revocation-check", "--trust-replace", "--trust", trust.path, input.path])
        return (validation.status, validation.combined)
    }

    /// One byte of the plan's own text changed, as a forger would.
    static func tampered(_ pdf: Data) -> Data {
        var bytes = [UInt8](pdf)
        bytes[bytes.count / 3] ^= 0x01
        return Data(bytes)
    }

    @Test func sealedClassicCrossReferencePDFIsValidForPdfsigAndPyHanko() async throws {
        let pdf = try PlanPDF.render(PlanPDFTests.plan(commitments: 5, signed: true))
        let (sealed, identity, certificatePEM) = try Self.sealed(pdf)
        #expect(sealed.prefix(pdf.count) == pdf, "an incremental update keeps the original bytes")
        let report = try await Self.pdfsig(sealed)
        #expect(report.contains("Signature is Valid"), "\(report)")
        #expect(report.contains("adbe.pkcs7.detached"), "\(report)")
        #expect(report.contains("Total document signed"), "\(report)")
        let hanko = try await Self.pyHanko(sealed, certificatePEM: certificatePEM)
        #expect(hanko.status == 0, "\(hanko.output)")
        #expect(hanko.output.contains("The signature is cryptographically sound"), "\(hanko.output)")
        #expect(hanko.output.contains("The signature covers the entire file"), "\(hanko.output)")
        #expect(hanko.output.contains("The signature is judged VALID"), "\(hanko.output)")
        let verification = await PDFSeal.verify(sealed, trusting: identity.certificate)
        #expect(verification.authentic)
        #expect(verification.manifest == Self.manifest)
        #expect(try await PlanPDFTests.pageCount(sealed) == PlanPDFTests.pageCount(pdf))
        try await Self.keepAsArtifact(sealed)
    }

    /// The sealed file and its first page as PNG, under artifacts/pal/, for a person to look at.
    static func keepAsArtifact(_ sealed: Data) async throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../artifacts/pal").standardized
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pdf = directory.appendingPathComponent("plan-sellado.pdf")
        try sealed.write(to: pdf)
        _ = try await Tool.output(
            ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", pdf.path, directory.appendingPathComponent("pagina").path], input: Data())
        #expect(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("pagina-01.png").path)
                || FileManager.default.fileExists(atPath: directory.appendingPathComponent("pagina-1.png").path))
    }

    @Test func sealedObjectStreamPDFIsValidForPdfsigAndPyHanko() async throws {
        // cairo 1.18 writes cross-reference and object streams; qpdf turns this cairo 1.16 file into one.
        let classic = try Self.file(PlanPDF.render(PlanPDFTests.plan(commitments: 5)), "classic.pdf")
        let streamsURL = classic.deletingLastPathComponent().appendingPathComponent("streams.pdf")
        _ = try await Tool.output(["qpdf", "--object-streams=generate", classic.path, streamsURL.path], input: Data())
        let pdf = try Data(contentsOf: streamsURL)
        #expect(String(decoding: pdf, as: UTF8.self).contains("/ObjStm"))
        let (sealed, identity, certificatePEM) = try Self.sealed(pdf)
        let report = try await Self.pdfsig(sealed)
        #expect(report.contains("Signature is Valid"), "\(report)")
        let hanko = try await Self.pyHanko(sealed, certificatePEM: certificatePEM)
        #expect(hanko.status == 0, "\(hanko.output)")
        #expect(hanko.output.contains("The signature is judged VALID"), "\(hanko.output)")
        #expect(await PDFSeal.verify(sealed, trusting: identity.certificate).authentic)
    }

    @Test func aCopyWithOneByteChangedIsNotAuthentic() async throws {
        let (sealed, identity, certificatePEM) = try Self.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 5)))
        let forged = Self.tampered(sealed)
        let report = try await Self.pdfsig(forged)
        #expect(!report.contains("Signature is Valid"), "\(report)")
        let hanko = try await Self.pyHanko(forged, certificatePEM: certificatePEM)
        #expect(hanko.status != 0, "\(hanko.output)")
        #expect(!hanko.output.contains("judged VALID"), "\(hanko.output)")
        let verification = await PDFSeal.verify(forged, trusting: identity.certificate)
        #expect(!verification.authentic)
        #expect(verification.problem?.rendered(Catalogue.reference.words).contains("modificado") == true)
        #expect(verification.manifest == nil)
    }

    @Test func appendedContentAfterSealingIsNotAuthentic() async throws {
        let (sealed, identity, _) = try Self.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 5)))
        let extended = sealed + Data("\n% otra firma\n".utf8)
        let verification = await PDFSeal.verify(extended, trusting: identity.certificate)
        #expect(!verification.authentic)
        #expect(verification.problem?.rendered(Catalogue.reference.words).contains("no cubre el archivo completo") == true)
    }

    @Test func aSealFromAnotherInstanceIsNotAuthenticHere() async throws {
        let (sealed, _, _) = try Self.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 5)))
        let other = try InstanceIdentity.generate(commonName: "Otra instancia").identity
        let verification = await PDFSeal.verify(sealed, trusting: other.certificate)
        #expect(!verification.authentic)
        #expect(verification.problem?.rendered(Catalogue.reference.words).contains("no fue sellado por esta instancia") == true)
    }

    @Test func anUnsignedPDFIsNotAuthentic() async throws {
        let identity = try InstanceIdentity.generate(commonName: "Cocrea").identity
        let verification = try await PDFSeal.verify(PlanPDF.render(PlanPDFTests.plan(commitments: 1)), trusting: identity.certificate)
        #expect(!verification.authentic)
        #expect(verification.problem?.rendered(Catalogue.reference.words) == "El archivo no tiene firma digital PDF.")
    }

    /// Files an attacker crafted once crashed the server (a trapping overflow, unbounded recursion);
    /// each is now read as damaged, never trusted, never a crash.
    @Test(arguments: [
        "%PDF-1.4\n/ByteRange 99999999999999999999999\n",
        "%PDF-1.4\n/ByteRange [0 9223372036854775807 1 1]\n",
        "%PDF-1.4\n/ByteRange [0 10 9223372036854775807 9223372036854775807]\n",
        "%PDF-1.4\n/ByteRange [0 -5 20 1]\n",
        "%PDF-1.4\n/ByteRange " + String(repeating: "[", count: 1_000_000) + "\n",
        "%PDF-1.4\n/ByteRange " + String(repeating: "<<", count: 200_000) + "\n",
    ])
    func craftedByteRangesAreDamagedNotFatal(_ file: String) async throws {
        let identity = try InstanceIdentity.generate(commonName: "Cocrea").identity
        let verification = await PDFSeal.verify(Data(file.utf8), trusting: identity.certificate)
        #expect(!verification.authentic)
        #expect(!verification.readable)
        #expect(verification.problem?.rendered(Catalogue.reference.words).hasPrefix("La firma del archivo está dañada") == true)
    }

    /// A sealed file whose signature was swapped for an e.firma's CMS with its certificate's RSA key
    /// broken (the key's SEQUENCE made a SET): the check refuses it before swift-certificates parses
    /// it (swift-crypto frees an RSA key it cannot parse twice), as a signature this instance did not make.
    @Test func aSignatureCarryingABrokenRSAKeyIsRefusedWithoutHarm() async throws {
        let (sealed, identity, _) = try Self.sealed(PlanPDF.render(PlanPDFTests.plan(commitments: 1)))
        var cms = try await EFirmaTests.sign(EFirmaTests.juana.value).cms
        let key: [UInt8] = [0x30, 0x82, 0x01, 0x0A, 0x02, 0x82, 0x01, 0x01]
        let start = try #require((0...(cms.count - key.count)).first { Array(cms[$0..<($0 + key.count)]) == key })
        cms[start] = 0x31
        var bytes = [UInt8](sealed)
        let marker = try #require(PDFSyntax.lastRange(of: "/Contents <", in: bytes))
        let hex = cms.map { String(format: "%02x", $0) }.joined().utf8
        let end = try #require(bytes[marker.upperBound...].firstIndex(of: UInt8(ascii: ">")))
        #expect(hex.count <= end - marker.upperBound, "the broken signature fits the seal's reserved space")
        bytes.replaceSubrange(marker.upperBound..<(marker.upperBound + hex.count), with: hex)

        let verification = await PDFSeal.verify(Data(bytes), trusting: identity.certificate)
        #expect(!verification.authentic)
        #expect(
            verification.problem?.rendered(Catalogue.reference.words) == "El archivo no fue sellado por esta instancia de Cocrea (certificado desconocido).")
    }

    @Test func aFileThatIsNotAPDFIsUnreadable() async throws {
        let identity = try InstanceIdentity.generate(commonName: "Cocrea").identity
        let verification = await PDFSeal.verify(Data("Acta de la mesa de diálogo".utf8), trusting: identity.certificate)
        #expect(!verification.readable)
        #expect(verification.problem?.rendered(Catalogue.reference.words) == "El archivo no es un PDF.")
    }

    /// Numbers past 15 digits are refused rather than overflowing; references still read.
    @Test func pdfNumbersNeverOverflow() throws {
        #expect(PDFSyntax.integer(in: Array("123456789012345".utf8), at: 0)?.value == 123_456_789_012_345)
        #expect(PDFSyntax.integer(in: Array("1234567890123456".utf8), at: 0) == nil)
        #expect(PDFSyntax.integers(inArray: Array("[0 840 1210 100]".utf8)) == [0, 840, 1210, 100])
        #expect(PDFSyntax.integers(inArray: Array("[0 99999999999999999999 1 1]".utf8)) == nil)
        #expect(throws: PDFSignatureError.self) { try PDFFile(Array("%PDF-1.4\nstartxref\n99999999999999999999\n%%EOF".utf8)) }
        #expect(throws: PDFSignatureError.self) { try PDFFile(Array("%PDF-1.4\nxref\n0 999999999999999\nstartxref\n9\n%%EOF".utf8)) }
    }

    @Test func identityIsCreatedOnFirstRunAndLoadedAfter() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-identity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try InstanceIdentity.loadOrCreate(in: directory, commonName: "Cocrea")
        let second = try InstanceIdentity.loadOrCreate(in: directory, commonName: "Cocrea")
        #expect(first.certificate == second.certificate)
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("private-key.pem").path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(throws: PDFSignatureError.self) {
            try InstanceIdentity(
                certificatePEM: first.certificatePEM,
                privateKeyPEM: try InstanceIdentity.generate(commonName: "Otra").privateKeyPEM)
        }
    }
}
