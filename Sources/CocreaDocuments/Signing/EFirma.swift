import COpenSSL
import CocreaCore
import Foundation

/// Signing with a SAT e.firma: the holder's certificate and private key (`.key`, DER PKCS#8 encrypted
/// with PBES2 / DES-EDE3-CBC) and its password. The key is decrypted in memory only for the signature,
/// and the password's bytes are overwritten as soon as they are used.
public enum EFirma {
    /// What an e.firma signature gives: the CMS and the certificate that made it.
    public struct Signature: Sendable {
        /// A detached CMS SignedData (CAdES-BES): RSA with SHA-256 over the content, the signer's
        /// certificate included, signed attributes with the signing time and `signingCertificateV2`.
        public let cms: [UInt8]
        public let certificate: EFirmaCertificate
        /// The certificates above it up to the trusted anchor (DER, its issuer first): what an OCSP request
        /// names it by, and what a validator needs later without the network.
        public let chain: [[UInt8]]
    }

    /// Signs `content` after every check a signature with legal weight needs, in the order a person
    /// can act on: the files are what they claim (an e.firma, not a CSD), the password opens the key, the key is the
    /// certificate's, the certificate names `rfc` / `curp`, is valid at `instant` and chains to `trust`.
    /// `password` is zeroed whatever happens.
    public static func sign(
        _ content: [UInt8], certificate certificateDER: [UInt8], privateKey keyDER: [UInt8], password: inout [UInt8],
        rfc: String?, curp: String?, trust: EFirmaTrust, at instant: Date
    ) throws -> Signature {
        try withMatchingKey(
            certificate: certificateDER, privateKey: keyDER, password: &password,
            before: { certificate in
                guard !certificate.isSealCertificate else { throw CocreaError.efirmaIsCSD }
            }
        ) { certificate, x509, key in
            guard certificate.names(rfc: rfc, curp: curp) else {
                throw CocreaError.efirmaHolderMismatch(certificateRFC: certificate.rfc ?? "", certificateCURP: certificate.curp ?? "")
            }
            try certificate.checkValidity(at: instant)
            let chain = try trust.verify(x509, at: instant)
            return Signature(cms: try cades(content, x509: x509, key: key, signingTime: instant), certificate: certificate, chain: chain)
        }
    }

    /// Parses the certificate, runs `before` on it, opens the key with `password` and, once the key is
    /// known to be the certificate's, gives both to `body`. A refusal in `before` comes ahead of the
    /// password, so it is not counted as a wrong one. The key is freed and `password` zeroed before
    /// this returns.
    static func withMatchingKey<T>(
        certificate certificateDER: [UInt8], privateKey keyDER: [UInt8], password: inout [UInt8],
        before: (EFirmaCertificate) throws -> Void = { _ in },
        _ body: (EFirmaCertificate, _ x509: OpaquePointer, borrowing PrivateKey) throws -> T
    ) throws -> T {
        defer { zero(&password) }
        let certificate = try EFirmaCertificate(der: certificateDER)
        try before(certificate)
        let key = try PrivateKey(der: keyDER, password: &password)
        let x509 = try openSSLCertificate(certificate.der)
        defer { X509_free(x509) }
        guard X509_check_private_key(x509, key.pointer) == 1 else {
            ERR_clear_error()
            throw CocreaError.efirmaKeyMismatch
        }
        return try body(certificate, x509, key)
    }

    /// A decrypted private key, freed (and cleansed by OpenSSL) when it goes out of scope; it cannot be copied.
    struct PrivateKey: ~Copyable {
        static let maximumIterations = 1_000_000
        let pointer: OpaquePointer

        init(der: [UInt8], password: inout [UInt8]) throws {
            defer { zero(&password) }
            guard der.count <= EFirmaCertificate.maximumFileSize else { throw CocreaError.efirmaNotKey }
            let encrypted = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                var cursor = buffer.baseAddress
                return d2i_X509_SIG(nil, &cursor, buffer.count)
            }
            guard let encrypted else {
                ERR_clear_error()
                throw CocreaError.efirmaNotKey
            }
            defer { X509_SIG_free(encrypted) }
            // The key sets its own cost: PBKDF2 alone (not scrypt, whose memory it would also set), and
            // at most a million iterations (the SAT uses 2048), a second of work at worst.
            let iterations = cocrea_pbes2_iterations(encrypted)
            guard (1...Self.maximumIterations).contains(iterations) else {
                ERR_clear_error()
                throw CocreaError.efirmaNotKey
            }
            let information = password.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PKCS8_decrypt(encrypted, $0.baseAddress, Int32(buffer.count)) }
            }
            guard let information else {
                ERR_clear_error()
                throw CocreaError.efirmaPasswordWrong
            }
            defer { PKCS8_PRIV_KEY_INFO_free(information) }
            guard let key = EVP_PKCS82PKEY(information) else {
                ERR_clear_error()
                throw CocreaError.efirmaNotKey
            }
            pointer = key
        }

        deinit { EVP_PKEY_free(pointer) }
    }

    static func zero(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }

    static func openSSLCertificate(_ der: [UInt8]) throws -> OpaquePointer {
        let certificate = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let certificate else {
            ERR_clear_error()
            throw CocreaError.efirmaNotCertificate
        }
        return certificate
    }

    /// The CMS: OpenSSL's CAdES-BES signer (`CMS_CADES` adds `signingCertificateV2`), with the signing
    /// time set to `signingTime` rather than the machine's clock.
    static func cades(_ content: [UInt8], x509: OpaquePointer, key: borrowing PrivateKey, signingTime: Date) throws -> [UInt8] {
        defer { ERR_clear_error() }
        guard let cms = CMS_sign(nil, nil, nil, nil, UInt32(CMS_PARTIAL | CMS_DETACHED | CMS_BINARY)) else { throw CocreaError.efirmaSigningFailed }
        defer { CMS_ContentInfo_free(cms) }
        guard
            let signer = CMS_add1_signer(
                cms, x509, key.pointer, EVP_sha256(), UInt32(CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP | CMS_PARTIAL))
        else { throw CocreaError.efirmaSigningFailed }
        guard let time = ASN1_TIME_set(nil, time_t(signingTime.timeIntervalSince1970.rounded(.down))) else { throw CocreaError.efirmaSigningFailed }
        defer { ASN1_TIME_free(time) }
        guard CMS_signed_add1_attr_by_NID(signer, NID_pkcs9_signingTime, ASN1_STRING_type(time), time, -1) == 1 else {
            throw CocreaError.efirmaSigningFailed
        }
        let signed = content.withUnsafeBytes { bytes -> Bool in
            guard let input = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { BIO_free(input) }
            return CMS_final(cms, input, nil, UInt32(CMS_BINARY)) == 1
        }
        guard signed else { throw CocreaError.efirmaSigningFailed }
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_CMS_ContentInfo(cms, &output)
        guard length > 0, let output else { throw CocreaError.efirmaSigningFailed }
        defer { CRYPTO_free(output, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }
}
