import Foundation
@_spi(CMS) import X509

/// A standard PDF digital signature of the instance over a whole file: an incremental update that
/// adds a signature field and a detached CMS (`/adbe.pkcs7.detached`) over the byte range, plus the
/// seal's manifest (who signed, which version) as an embedded JSON file that the signature covers.
public enum PDFSeal {
    public static let manifestFileName = "sello-cocrea.json"
    /// Room for the CMS in the file; a P-256 signature with one certificate takes about 1 KB.
    static let contentsCapacity = 8192
    static let byteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]"

    public static func apply(to pdf: Data, identity: InstanceIdentity, manifest: Data, signingTime: Date, signerName: String, reason: String) throws -> Data {
        let original = [UInt8](pdf)
        let file = try PDFFile(original)
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        let catalog = try file.dictionary(of: root)
        for key in ["AcroForm", "Names"] where catalog.has(key) {
            throw PDFSignatureError.unsupported("el catálogo ya tiene /\(key)")
        }
        let page = try firstPage(of: file, catalog: catalog)
        let pageDictionary = try file.dictionary(of: page)
        guard !pageDictionary.has("Annots") else { throw PDFSignatureError.unsupported("la primera página ya tiene anotaciones") }

        let widget = file.size
        let signature = file.size + 1
        let embedded = file.size + 2
        let fileSpec = file.size + 3
        var output = original
        if output.last != 0x0A { output.append(0x0A) }
        var offsets: [Int: (offset: Int, generation: Int)] = [:]
        func object(_ number: Int, generation: Int = 0, _ body: String, stream: [UInt8]? = nil) {
            offsets[number] = (output.count, generation)
            output += Array("\(number) \(generation) obj\n\(body)\n".utf8)
            if let stream {
                output += Array("stream\n".utf8) + stream + Array("\nendstream\n".utf8)
            }
            output += Array("endobj\n".utf8)
        }

        object(
            widget,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T \(PDFSyntax.textString("Sello Cocrea")) /F 132 /Rect [0 0 0 0] /P \(page) 0 R /V \(signature) 0 R >>")
        let contentsPlaceholder = "<" + String(repeating: "0", count: contentsCapacity * 2) + ">"
        object(
            signature,
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached \(byteRangePlaceholder) /Contents \(contentsPlaceholder) /M (\(pdfDate(signingTime))) /Name \(PDFSyntax.textString(signerName)) /Reason \(PDFSyntax.textString(reason)) >>"
        )
        object(
            embedded, "<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length \(manifest.count) /Params << /Size \(manifest.count) >> >>",
            stream: [UInt8](manifest))
        object(
            fileSpec,
            "<< /Type /Filespec /F (\(manifestFileName)) /UF \(PDFSyntax.textString(manifestFileName)) /Desc \(PDFSyntax.textString("Quién firmó y qué versión selló Cocrea")) /EF << /F \(embedded) 0 R >> /AFRelationship /Data >>"
        )
        object(
            root, generation: file.generation(of: root),
            catalog.adding(
                "/AcroForm << /Fields [\(widget) 0 R] /SigFlags 3 >>\n/Names << /EmbeddedFiles << /Names [(\(manifestFileName)) \(fileSpec) 0 R] >> >>"))
        object(page, generation: file.generation(of: page), pageDictionary.adding("/Annots [\(widget) 0 R]"))

        var trailerEntries = "/Root \(root) 0 R"
        if let info = file.trailer.raw("Info") { trailerEntries += " /Info \(info)" }
        if let id = file.trailer.raw("ID") { trailerEntries += " /ID \(id)" }
        trailerEntries += " /Prev \(file.startXref)"
        let xrefOffset = output.count
        if file.usesXrefStreams {
            let xrefNumber = file.size + 4
            offsets[xrefNumber] = (xrefOffset, 0)
            let (runs, rows) = crossReferenceRows(offsets)
            let index = runs.map { "\($0.0) \($0.1)" }.joined(separator: " ")
            var data = [UInt8]()
            for (offset, generation) in rows {
                data.append(1)
                data += withUnsafeBytes(of: UInt32(offset).bigEndian, Array.init)
                data += withUnsafeBytes(of: UInt16(generation).bigEndian, Array.init)
            }
            output += Array(
                "\(xrefNumber) 0 obj\n<< /Type /XRef /Size \(xrefNumber + 1) /W [1 4 2] /Index [\(index)] \(trailerEntries) /Length \(data.count) >>\nstream\n"
                    .utf8)
            output += data + Array("\nendstream\nendobj\n".utf8)
        } else {
            let (runs, rows) = crossReferenceRows(offsets)
            var table = "xref\n"
            var remaining = rows[...]
            for (first, count) in runs {
                table += "\(first) \(count)\n"
                for (offset, generation) in remaining.prefix(count) {
                    table += String(format: "%010d %05d n \n", offset, generation)
                }
                remaining = remaining.dropFirst(count)
            }
            table += "trailer\n<< /Size \(file.size + 4) \(trailerEntries) >>\n"
            output += Array(table.utf8)
        }
        output += Array("startxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return try sign(output, identity: identity, signingTime: signingTime)
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

    /// Runs of consecutive object numbers (first, count) and each object's (offset, generation), in order.
    private static func crossReferenceRows(_ offsets: [Int: (offset: Int, generation: Int)]) -> ([(Int, Int)], [(Int, Int)]) {
        let numbers = offsets.keys.sorted()
        var index: [(Int, Int)] = []
        for number in numbers {
            if let last = index.last, last.0 + last.1 == number { index[index.count - 1].1 += 1 } else { index.append((number, 1)) }
        }
        return (index, numbers.map { (offsets[$0]!.offset, offsets[$0]!.generation) })
    }

    static func pdfDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return "D:\(formatter.string(from: date))+00'00'"
    }
}
