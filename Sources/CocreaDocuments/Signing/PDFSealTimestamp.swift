import Foundation

extension PDFSeal {
    /// The seal's CMS with its token is larger than the room the file reserved for it: no later attempt
    /// with the same authority can fit, since its tokens keep their size.
    public struct TimestampDoesNotFit: Error, Equatable, CustomStringConvertible {
        /// Bytes of the stamped CMS, and of the reserved `/Contents`.
        public let needed, available: Int

        public var description: String {
            "el sello de tiempo no cabe en el espacio reservado en el PDF: la firma con el sello ocupa \(needed) bytes y caben \(available)"
        }
    }

    /// The signature value of the seal's CMS in `pdf` (its last signature): what a timestamp is over.
    public static func signatureValue(in pdf: Data) throws -> [UInt8] {
        let (_, cms) = try sealContents(in: [UInt8](pdf))
        return try TimeStamp.signatureValue(of: cms)
    }

    /// `pdf` with `token` added to its seal's CMS as an unsigned attribute. The CMS is rewritten in
    /// place within the reserved `/Contents`, so the byte range and what the seal signed are unchanged;
    /// `TimestampDoesNotFit` when it would not fit there.
    public static func addingTimestamp(_ token: TimeStamp.Token, to pdf: Data) throws -> Data {
        let bytes = [UInt8](pdf)
        let (hole, cms) = try sealContents(in: bytes)
        return try attaching(token, to: cms, at: hole, in: bytes)
    }

    /// `pdf` with `token` added in place to the CMS of `signature`, one of `PDFSignatures.all(in: pdf)`:
    /// only for a signature that no later one covers, since its `/Contents` changes.
    public static func addingTimestamp(_ token: TimeStamp.Token, to signature: PDFEmbeddedSignature, in pdf: Data) throws -> Data {
        let bytes = [UInt8](pdf)
        let hole = signature.byteRange[1]..<signature.byteRange[2]
        guard hole.upperBound <= bytes.count, bytes[hole.lowerBound] == UInt8(ascii: "<"), bytes[hole.upperBound - 1] == UInt8(ascii: ">") else {
            throw PDFSignatureError.malformed("la firma «\(signature.fieldName)» no está en este archivo")
        }
        return try attaching(token, to: Array(signature.cms), at: hole, in: bytes)
    }

    /// `bytes` with `cms`, stamped with `token`, written over the `/Contents` string at `hole`.
    private static func attaching(_ token: TimeStamp.Token, to cms: [UInt8], at hole: Range<Int>, in bytes: [UInt8]) throws -> Data {
        var bytes = bytes
        let stamped = try TimeStamp.attaching(token, to: cms)
        guard PDFForm.place(stamped, in: &bytes, hole: hole) else {
            throw TimestampDoesNotFit(needed: stamped.count, available: (hole.count - 2) / 2)
        }
        return Data(bytes)
    }

    /// Where the file's last `/Contents` string is (angle brackets included), and the CMS it holds.
    private static func sealContents(in bytes: [UInt8]) throws -> (Range<Int>, [UInt8]) {
        guard let marker = PDFSyntax.lastRange(of: "/ByteRange", in: bytes),
            let contents = PDFSyntax.firstRange(of: "/Contents <", in: bytes, from: marker.upperBound),
            let close = bytes[contents.upperBound...].firstIndex(of: UInt8(ascii: ">")),
            let cms = derPrefix(hex: bytes[contents.upperBound..<close])
        else { throw PDFSignatureError.malformed("no se encontró la firma del sello") }
        return ((contents.upperBound - 1)..<(close + 1), cms)
    }
}
