import Foundation
@_spi(CMS) import X509

/// The instance's PDF signature over a whole file: an incremental update that adds a signature field
/// and a detached CMS (`/adbe.pkcs7.detached`) over the byte range, and writes the seal's manifest (who
/// signed, which version) into the file's XMP metadata, which the signature covers. The manifest stays
/// out of embedded files, which PDF/A-2 allows only when they are PDF/A themselves (docs/decisions.md).
public enum PDFSeal {
    /// Room for the CMS in the file; a P-256 signature with one certificate takes about 1 KB.
    static let contentsCapacity = 8192
    static let byteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]"

    public static func apply(to pdf: Data, identity: InstanceIdentity, manifest: Data, signingTime: Date, signerName: String, reason: String) throws -> Data {
        let file = try PDFFile([UInt8](pdf))
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        let catalog = try file.dictionary(of: root)
        guard !catalog.has("AcroForm") else { throw PDFSignatureError.unsupported("el catálogo ya tiene /AcroForm") }
        let page = try firstPage(of: file, catalog: catalog)
        let pageDictionary = try file.dictionary(of: page)
        guard !pageDictionary.has("Annots") else { throw PDFSignatureError.unsupported("la primera página ya tiene anotaciones") }

        var update = PDFUpdate(file)
        let widget = update.newObject()
        let signature = update.newObject()
        update.object(
            widget,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T \(PDFSyntax.textString("Sello Cocrea")) /F 132 /Rect [0 0 0 0] /P \(page) 0 R /V \(signature) 0 R >>")
        let contentsPlaceholder = "<" + String(repeating: "0", count: contentsCapacity * 2) + ">"
        update.object(
            signature,
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached \(byteRangePlaceholder) /Contents \(contentsPlaceholder) /M (\(pdfDate(signingTime))) /Name \(PDFSyntax.textString(signerName)) /Reason \(PDFSyntax.textString(reason)) >>"
        )
        // The file's metadata gains the manifest in a new revision; a file without any gets a packet of its own.
        let existing = catalog.reference("Metadata")
        let xmp = XMPPacket.addingSealManifest(manifest, to: try existing.map { try file.streamData(of: $0) })
        let metadata = existing ?? update.newObject()
        update.object(metadata, "<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>", stream: xmp)
        let catalogEntries = "/AcroForm << /Fields [\(widget) 0 R] /SigFlags 3 >>" + (existing == nil ? "\n/Metadata \(metadata) 0 R" : "")
        update.object(root, catalog.adding(catalogEntries))
        update.object(page, pageDictionary.adding("/Annots [\(widget) 0 R]"))
        return try sign(try update.finish(), identity: identity, signingTime: signingTime)
    }

    /// Fills in the byte range and the CMS over every byte but the `/Contents` value.
    private static func sign(_ file: [UInt8], identity: InstanceIdentity, signingTime: Date) throws -> Data {
        var bytes = file
        guard let range = PDFSyntax.lastRange(of: byteRangePlaceholder, in: bytes),
            let contents = PDFSyntax.firstRange(of: "/Contents <", in: bytes, from: range.upperBound)
        else {
            throw PDFSignatureError.malformed("no se encontró el espacio de la firma")
        }
        let start = contents.upperBound - 1
        let end = start + contentsCapacity * 2 + 2
        var byteRange = "/ByteRange [0 \(start) \(end) \(bytes.count - end)]"
        byteRange += String(repeating: " ", count: byteRangePlaceholder.utf8.count - byteRange.utf8.count)
        bytes.replaceSubrange(range, with: Array(byteRange.utf8))
        let signed = Array(bytes[0..<start]) + Array(bytes[end...])
        let cms = try CMS.sign(
            signed, signatureAlgorithm: .ecdsaWithSHA256, certificate: identity.certificate,
            privateKey: identity.privateKey, signingTime: signingTime, detached: true)
        guard cms.count <= contentsCapacity else { throw PDFSignatureError.unsupported("la firma no cabe en el espacio reservado") }
        let hex = cms.map { String(format: "%02X", $0) }.joined()
        bytes.replaceSubrange((start + 1)..<(start + 1 + hex.utf8.count), with: Array(hex.utf8))
        return Data(bytes)
    }

    /// The first leaf of the page tree.
    private static func firstPage(of file: PDFFile, catalog: PDFDictionary) throws -> Int {
        guard var node = catalog.reference("Pages") else { throw PDFSignatureError.malformed("sin árbol de páginas") }
        for _ in 0..<32 {
            let dictionary = try file.dictionary(of: node)
            if dictionary.name("Type") == "Page" { return node }
            guard let kid = dictionary.references("Kids").first else { throw PDFSignatureError.malformed("árbol de páginas vacío") }
            node = kid
        }
        throw PDFSignatureError.malformed("árbol de páginas demasiado profundo")
    }

    static func pdfDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return "D:\(formatter.string(from: date))+00'00'"
    }
}
