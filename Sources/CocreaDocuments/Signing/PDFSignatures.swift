import Foundation

/// One PDF signature found in a file: its field, its byte range and CMS, and the bytes it signs.
/// Nothing here is checked cryptographically; the caller verifies `cms` over `signedBytes`.
public struct PDFEmbeddedSignature: Sendable {
    public let fieldName: String
    public let subFilter: String
    public let byteRange: [Int]
    /// The bytes covered: the end of the revision it signs.
    public let coversUpTo: Int
    public let coversWholeFile: Bool
    public let cms: Data
    /// The concatenated byte range.
    public let signedBytes: Data
}

/// The signatures of a PDF, read from its form's signature fields. The file may be anyone's, so
/// everything read is bounded and checked against the file before it is used.
public enum PDFSignatures {
    static let maximumSignatures = 64
    /// The most bytes all signed ranges together may copy (a few signatures over a large PAL); anyone may
    /// upload a file to verify, and four are checked at once.
    static let maximumSignedBytes = 64 * 1_048_576

    /// Every signature in file order (by how far each reaches).
    public static func all(in pdf: Data) throws -> [PDFEmbeddedSignature] {
        let bytes = [UInt8](pdf)
        let file = try PDFFile(bytes)
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        let catalog = try file.dictionary(of: root)
        let acroForm: PDFDictionary?
        if let reference = catalog.reference("AcroForm") {
            acroForm = try file.dictionary(of: reference)
        } else {
            acroForm = catalog.dictionary("AcroForm")
        }
        guard let acroForm else { return [] }
        let fields = acroForm.references("Fields")
        guard fields.count <= PDFForm.maximumFields else { throw PDFSignatureError.unsupported("más de \(PDFForm.maximumFields) campos") }
        var signatures: [PDFEmbeddedSignature] = []
        var copied = 0
        var seen = Set<Int>()
        for field in fields where seen.insert(field).inserted {
            let dictionary = try file.dictionary(of: field)
            guard dictionary.name("FT") == "Sig", let value = dictionary.reference("V") else { continue }
            guard signatures.count < maximumSignatures else { throw PDFSignatureError.unsupported("más de \(maximumSignatures) firmas") }
            let name = dictionary.bytes("T").flatMap(PDFSyntax.text(of:)) ?? ""
            let signature = try read(try file.dictionary(of: value), field: name, in: bytes)
            copied += signature.signedBytes.count
            guard copied <= maximumSignedBytes else { throw PDFSignatureError.unsupported("firmas que cubren más de 64 MB") }
            signatures.append(signature)
        }
        return signatures.sorted { ($0.coversUpTo, $0.byteRange[1]) < ($1.coversUpTo, $1.byteRange[1]) }
    }

    /// A signature dictionary's byte range, checked to lie in the file and to leave out exactly its
    /// own `/Contents`.
    private static func read(_ dictionary: PDFDictionary, field: String, in bytes: [UInt8]) throws -> PDFEmbeddedSignature {
        guard let subFilter = dictionary.name("SubFilter") else { throw PDFSignatureError.malformed("la firma «\(field)» no dice su /SubFilter") }
        // PDFSyntax reads at most 15 digits a number, so these sums cannot overflow.
        guard let range = dictionary.bytes("ByteRange").flatMap(PDFSyntax.integers(inArray:)), range.count == 4, range[0] == 0,
            range[1] > 0, range[2] >= range[1] + 2, range[2] <= bytes.count, range[3] <= bytes.count - range[2]
        else {
            throw PDFSignatureError.malformed("el /ByteRange de la firma «\(field)»")
        }
        let hole = bytes[range[1]..<range[2]]
        guard let contents = dictionary.bytes("Contents"), hole.elementsEqual(contents), hole.first == UInt8(ascii: "<"),
            let cms = PDFSeal.derPrefix(hex: hole.dropFirst().dropLast())
        else {
            throw PDFSignatureError.malformed("el /ByteRange de la firma «\(field)» no deja fuera su /Contents")
        }
        let end = range[2] + range[3]
        return PDFEmbeddedSignature(
            fieldName: field, subFilter: subFilter, byteRange: range, coversUpTo: end, coversWholeFile: end == bytes.count, cms: Data(cms),
            signedBytes: Data(bytes[0..<range[1]]) + Data(bytes[range[2]..<end]))
    }
}
