import Crypto
import Foundation

/// A document timestamp (PAdES, ISO 32000-2 §12.8.5): an incremental update whose signature field holds
/// `/Type /DocTimeStamp /SubFilter /ETSI.RFC3161`, its `/Contents` an RFC 3161 token over the SHA-256 of
/// the byte range. It dates every signature before it, as a signature-time-stamp dates its own: what an
/// e.firma whose authority did not answer in time gets once later signatures cover its bytes.
public enum PDFDocumentTimestamp {
    public static let subFilter = "ETSI.RFC3161"

    /// A revision written with room for its token, waiting for the authority's answer.
    public struct Prepared: Sendable {
        let bytes: [UInt8]
        let hole: Range<Int>
        /// The SHA-256 of everything but the reserved `/Contents`: what the token must be over.
        public let digest: [UInt8]

        /// The revision with `token` in its `/Contents`; `PDFSeal.TimestampDoesNotFit` when it is larger
        /// than the room reserved, which no later token of the same authority would change.
        public func embedding(_ token: TimeStamp.Token) throws -> Data {
            var bytes = bytes
            guard PDFForm.place(token.der, in: &bytes, hole: hole) else {
                throw PDFSeal.TimestampDoesNotFit(needed: token.der.count, available: (hole.count - 2) / 2)
            }
            return Data(bytes)
        }
    }

    /// `pdf` with a new, invisible signature field `fieldName` for a document timestamp, `capacity`
    /// bytes reserved for its token.
    public static func preparing(_ pdf: Data, fieldName: String, capacity: Int = PDFForm.defaultCapacity) throws -> Prepared {
        guard (1...1_048_576).contains(capacity) else { throw PDFSignatureError.unsupported("espacio de firma de \(capacity) bytes") }
        var form = try PDFForm.Editor(pdf)
        let start = try form.addSignatureField(fieldName, type: "DocTimeStamp", subFilter: subFilter, capacity: capacity, details: "")
        let (bytes, hole) = try PDFForm.reserve(try form.finish(), from: start, capacity: capacity)
        var hash = SHA256()
        hash.update(data: bytes[..<hole.lowerBound])
        hash.update(data: bytes[hole.upperBound...])
        return Prepared(bytes: bytes, hole: hole, digest: Array(hash.finalize()))
    }

    /// The e.firma signatures of a file (`PDFSignatures.all`, in order) that carry no timestamp of their
    /// own and that no document timestamp after them covers.
    public static func undated(_ signatures: [PDFEmbeddedSignature]) -> [PDFEmbeddedSignature] {
        signatures.filter { signature in
            signature.subFilter == "ETSI.CAdES.detached" && TimeStamp.stamp(in: Array(signature.cms)) == nil
                && coveringTimestamp(of: signature, in: signatures) == nil
        }
    }

    /// The earliest document timestamp of `signatures` that covers `signature`.
    public static func coveringTimestamp(of signature: PDFEmbeddedSignature, in signatures: [PDFEmbeddedSignature]) -> PDFEmbeddedSignature? {
        signatures.first { $0.subFilter == subFilter && $0.coversUpTo > signature.coversUpTo }
    }
}
