import COpenSSL
import CocreaCore
import Foundation

/// The certificates an operator trusts for e.firma signatures (in production the SAT's «AC del Servicio
/// de Administración Tributaria»), from PEM files: the self-signed ones are trust anchors, the others
/// intermediates a signer's certificate may chain through to an anchor.
public struct EFirmaTrust: Sendable {
    /// The environment variable naming the PEM files, separated by `:`.
    public static let environmentVariable = "COCREA_TRUST_ROOTS"

    let anchors: [[UInt8]]
    let intermediates: [[UInt8]]

    /// Every certificate of `pem` (one or more PEM blocks); refuses text without a certificate.
    public init(pem: String) throws {
        var anchors: [[UInt8]] = []
        var intermediates: [[UInt8]] = []
        let bytes = Array(pem.utf8)
        let parsed = bytes.withUnsafeBytes { buffer -> Bool in
            guard let input = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return false }
            defer { BIO_free(input) }
            while let certificate = PEM_read_bio_X509(input, nil, nil, nil) {
                defer { X509_free(certificate) }
                var output: UnsafeMutablePointer<UInt8>?
                let length = i2d_X509(certificate, &output)
                guard length > 0, let output else { return false }
                defer { CRYPTO_free(output, #fileID, #line) }
                let der = Array(UnsafeBufferPointer(start: output, count: Int(length)))
                // Self-signed: issued by itself, with a signature its own key verifies.
                let selfSigned =
                    X509_check_issued(certificate, certificate) == X509_V_OK && X509_verify(certificate, X509_get0_pubkey(certificate)) == 1
                if selfSigned { anchors.append(der) } else { intermediates.append(der) }
            }
            return true
        }
        ERR_clear_error()
        guard parsed, !anchors.isEmpty else { throw CocreaError.trustRootsUnreadable }
        self.anchors = anchors
        self.intermediates = intermediates
    }

    /// The certificates of every file in `paths`, read as one PEM bundle.
    public init(files paths: [String]) throws {
        var pem = ""
        for path in paths {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CocreaError.trustRootsUnreadable }
            pem += text + "\n"
        }
        try self.init(pem: pem)
    }

    /// Refuses `certificate` unless it chains to an anchor, every certificate of the chain valid at `instant`;
    /// returns the chain above it (DER, its issuer first, the anchor last).
    @discardableResult
    func verify(_ certificate: OpaquePointer, at instant: Date) throws -> [[UInt8]] {
        let (store, untrusted) = try store(at: instant)
        defer {
            X509_STORE_free(store)
            cocrea_certificate_stack_free(untrusted)
        }
        guard let context = X509_STORE_CTX_new() else { throw CocreaError.efirmaSigningFailed }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, certificate, untrusted) == 1 else { throw CocreaError.efirmaSigningFailed }
        X509_STORE_CTX_set_time(context, 0, time_t(instant.timeIntervalSince1970.rounded(.down)))
        let verified = X509_verify_cert(context) == 1
        ERR_clear_error()
        guard verified, let chain = X509_STORE_CTX_get1_chain(context) else { throw CocreaError.efirmaUntrusted }
        defer { cocrea_certificate_stack_free(chain) }
        return (1..<max(1, cocrea_certificate_stack_count(chain))).compactMap { index in
            var output: UnsafeMutablePointer<UInt8>?
            let length = i2d_X509(cocrea_certificate_stack_at(chain, index), &output)
            guard length > 0, let output else { return nil }
            defer { CRYPTO_free(output, #fileID, #line) }
            return Array(UnsafeBufferPointer(start: output, count: Int(length)))
        }
    }

    /// A store of the anchors that checks at `instant`, and a stack of the intermediates; the caller frees both.
    func store(at instant: Date) throws -> (store: OpaquePointer, intermediates: OpaquePointer) {
        guard let store = X509_STORE_new() else { throw CocreaError.efirmaSigningFailed }
        guard let untrusted = cocrea_certificate_stack() else {
            X509_STORE_free(store)
            throw CocreaError.efirmaSigningFailed
        }
        do {
            for der in anchors {
                let anchor = try EFirma.openSSLCertificate(der)
                defer { X509_free(anchor) }
                guard X509_STORE_add_cert(store, anchor) == 1 else { throw CocreaError.efirmaSigningFailed }
            }
            for der in intermediates {
                let intermediate = try EFirma.openSSLCertificate(der)
                guard cocrea_certificate_stack_push(untrusted, intermediate) > 0 else {
                    X509_free(intermediate)
                    throw CocreaError.efirmaSigningFailed
                }
            }
            X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), time_t(instant.timeIntervalSince1970.rounded(.down)))
        } catch {
            X509_STORE_free(store)
            cocrea_certificate_stack_free(untrusted)
            throw error
        }
        return (store, untrusted)
    }
}
