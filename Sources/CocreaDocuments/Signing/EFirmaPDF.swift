import COpenSSL
import CocreaCore
import Foundation

extension EFirma {
    /// An actor's PDF signature with their e.firma, made after `sign` accepted the same files in the same
    /// request: the key opens with the password and is the certificate's, and `pdf` gets, while the key is
    /// open, the CAdES signer of a byte range (what `PDFForm.signing` asks for). The key is freed and
    /// `password` zeroed before this returns.
    public static func signPDF(
        certificate certificateDER: [UInt8], privateKey keyDER: [UInt8], password: inout [UInt8], at instant: Date,
        _ pdf: (_ cades: ([UInt8]) throws -> Data) throws -> Data
    ) throws -> Data {
        try withMatchingKey(certificate: certificateDER, privateKey: keyDER, password: &password) { _, x509, key in
            try pdf { signed in Data(try cades(signed, x509: x509, key: key, signingTime: instant)) }
        }
    }

    /// The certificate of a detached CMS whose signature holds over `content`, or nil when it does not
    /// (or is no CMS). Only the signature is checked here: who to trust is the reader's call, and the
    /// instance checked the chain when it accepted the signature.
    public static func signer(of cms: [UInt8], over content: [UInt8]) -> EFirmaCertificate? {
        defer { ERR_clear_error() }
        let parsed = cms.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
        }
        guard let parsed else { return nil }
        defer { CMS_ContentInfo_free(parsed) }
        let verified = content.withUnsafeBytes { bytes -> Bool in
            guard let input = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { BIO_free(input) }
            return CMS_verify(parsed, nil, nil, input, nil, UInt32(CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY)) == 1
        }
        guard verified, let signers = CMS_get0_signers(parsed) else { return nil }
        // The stack is the CMS's own list; only the stack itself is ours to free.
        defer { OPENSSL_sk_free(signers) }
        guard cocrea_certificate_stack_count(signers) == 1, let first = cocrea_certificate_stack_at(signers, 0) else { return nil }
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(first, &output)
        guard length > 0, let output else { return nil }
        defer { CRYPTO_free(output, #fileID, #line) }
        return try? EFirmaCertificate(der: UnsafeBufferPointer(start: output, count: Int(length)))
    }
}
