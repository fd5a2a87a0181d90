import COpenSSL
import CocreaCore
import Crypto
import Foundation
@_spi(CMS) import X509

/// What checking a file's seal found: whether the instance's PDF signature is intact and covers the
/// whole file, and the seal's manifest when it is.
public struct PDFSealVerification: Sendable {
    public var authentic: Bool
    /// SHA-256 of the file as given.
    public var sha256: String
    /// Why it is not authentic, a text of the catalogue written in the reader's language.
    public var problem: ErrorText?
    /// The embedded manifest (JSON), read only from an authentic file.
    public var manifest: Data?
    /// False when the file is not a PDF or its signature cannot even be read: bad input rather
    /// than a copy that fails the check.
    public var readable = true
    /// The trusted time the seal carries (RFC 3161), read only from an authentic file.
    public var timestamp: TimeStamp.Token?

    static func failed(_ sha256: String, _ problem: String) -> PDFSealVerification {
        PDFSealVerification(authentic: false, sha256: sha256, problem: ErrorText(key: problem), manifest: nil)
    }

    static func unreadable(_ sha256: String, _ problem: String) -> PDFSealVerification {
        PDFSealVerification(authentic: false, sha256: sha256, problem: ErrorText(key: problem), manifest: nil, readable: false)
    }
}

extension PDFSeal {
    /// Checks the file's last signature against `certificate` (the instance's). Works offline.
    public static func verify(_ pdf: Data, trusting certificate: Certificate) async -> PDFSealVerification {
        let bytes = [UInt8](pdf)
        let sha256 = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
        guard bytes.starts(with: Array("%PDF-".utf8)) else {
            return .unreadable(sha256, "problemSealNotPDF")
        }
        guard let marker = PDFSyntax.lastRange(of: "/ByteRange", in: bytes) else {
            return .failed(sha256, "problemSealUnsigned")
        }
        let arrayStart = PDFSyntax.skipSpace(bytes, marker.upperBound)
        guard let arrayEnd = try? PDFSyntax.valueEnd(bytes, at: arrayStart) else {
            return .unreadable(sha256, "problemSealByteRangeUnreadable")
        }
        // Every number is at most 15 digits (PDFSyntax.integer), so these sums cannot overflow.
        guard let range = PDFSyntax.integers(inArray: Array(bytes[arrayStart..<arrayEnd])), range.count == 4,
            range[0] == 0, range[1] > 0, range[2] > range[1] + 2, range[2] <= bytes.count
        else {
            return .unreadable(sha256, "problemSealByteRangeWrong")
        }
        let (contentsStart, contentsEnd) = (range[1], range[2])
        guard contentsEnd + range[3] == bytes.count else {
            return .failed(sha256, "problemSealNotWholeFile")
        }
        guard bytes[contentsStart] == UInt8(ascii: "<"), bytes[contentsEnd - 1] == UInt8(ascii: ">"),
            let cms = derPrefix(hex: bytes[(contentsStart + 1)..<(contentsEnd - 1)])
        else {
            return .failed(sha256, "problemSealDamaged")
        }
        guard carriesOnlyEllipticCurveKeys(cms) else {
            return .failed(sha256, "problemSealUnknownCertificate")
        }
        let signed = Array(bytes[0..<contentsStart]) + Array(bytes[contentsEnd...])
        let result = await CMS.isValidSignature(dataBytes: signed, signatureBytes: cms, trustRoots: CertificateStore([certificate])) {
            RFC5280Policy()
        }
        switch result {
        case .success:
            return PDFSealVerification(
                authentic: true, sha256: sha256, problem: nil, manifest: manifest(in: bytes), timestamp: TimeStamp.stamp(in: cms))
        case .failure(.unableToValidateSigner):
            return .failed(sha256, "problemSealUnknownCertificate")
        case .failure(.invalidCMSBlock):
            return .failed(sha256, "problemSealModified")
        }
    }

    /// Whether every certificate the signature carries has an elliptic-curve key, read with OpenSSL
    /// before swift-certificates parses them: swift-crypto 3.12 frees an RSA key twice when it cannot
    /// parse one, so a crafted RSA certificate in an uploaded file would stop the process. The instance
    /// seals with P-256; a signature that carries anything else is not its seal.
    static func carriesOnlyEllipticCurveKeys(_ cms: [UInt8]) -> Bool {
        defer { ERR_clear_error() }
        return cms.withUnsafeBufferPointer { buffer -> Bool in
            var cursor = buffer.baseAddress
            guard let content = d2i_CMS_ContentInfo(nil, &cursor, buffer.count) else { return false }
            defer { CMS_ContentInfo_free(content) }
            // No certificates at all: nothing for swift-certificates to parse, and no signer it trusts.
            guard let certificates = CMS_get1_certs(content) else { return true }
            defer { cocrea_certificate_stack_free(certificates) }
            return (0..<cocrea_certificate_stack_count(certificates)).allSatisfy { index in
                guard let key = X509_get0_pubkey(cocrea_certificate_stack_at(certificates, index)) else { return false }
                return EVP_PKEY_get_base_id(key) == NID_X9_62_id_ecPublicKey
            }
        }
    }

    /// The CMS bytes inside the zero-padded hexadecimal `/Contents`, cut to their DER length.
    static func derPrefix(hex: ArraySlice<UInt8>) -> [UInt8]? {
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x37
            case 0x61...0x66: byte - 0x57
            default: nil
            }
        }
        let digits = Array(hex)
        guard digits.count % 2 == 0 else { return nil }
        var data = [UInt8]()
        data.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            data.append(high << 4 | low)
        }
        guard data.count > 4, data[0] == 0x30 else { return nil }
        let length: Int
        let header: Int
        if data[1] < 0x80 {
            (length, header) = (Int(data[1]), 2)
        } else {
            let octets = Int(data[1] & 0x7F)
            guard octets > 0, octets <= 4, data.count > 2 + octets else { return nil }
            length = data[2..<(2 + octets)].reduce(0) { $0 << 8 | Int($1) }
            header = 2 + octets
        }
        guard header + length <= data.count else { return nil }
        return Array(data[0..<(header + length)])
    }

    /// The seal's manifest: in the XMP metadata, or in files sealed before it moved there (when the
    /// PDFs became PDF/A-2b) the newest `/EmbeddedFile` stream.
    private static func manifest(in bytes: [UInt8]) -> Data? {
        if let manifest = XMPPacket.sealManifest(in: bytes) { return manifest }
        guard let marker = PDFSyntax.lastRange(of: "/Type /EmbeddedFile", in: bytes),
            let open = (0..<marker.lowerBound).reversed().first(where: { PDFSyntax.matches("<<", in: bytes, at: $0) }),
            let dictionary = try? PDFDictionary(bytes, at: open), let length = dictionary.integer("Length")
        else { return nil }
        var position = PDFSyntax.skipSpace(bytes, dictionary.end)
        guard PDFSyntax.matches("stream", in: bytes, at: position) else { return nil }
        position += 6
        if position < bytes.count, bytes[position] == 0x0D { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        guard position + length <= bytes.count else { return nil }
        return Data(bytes[position..<(position + length)])
    }
}
