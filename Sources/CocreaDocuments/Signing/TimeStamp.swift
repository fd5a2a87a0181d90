import COpenSSL
import CocreaCore
import Crypto
import Foundation

/// RFC 3161 trusted time for a CMS signature: the request a time-stamping authority (TSA) answers, the
/// checks its answer must pass, and the token carried in the signer's unsigned attributes as
/// `id-aa-signatureTimeStampToken` over the signature value, as PAdES B-T and pyHanko read it.
public enum TimeStamp {
    public static let requestMediaType = "application/timestamp-query"
    public static let responseMediaType = "application/timestamp-reply"
    /// A response is a token with the authority's certificates, a few kilobytes; more is not read.
    public static let maximumResponseBytes = 64 * 1024

    /// A `TimeStampReq` for the SHA-256 of a signature value, with a fresh nonce, asking for the
    /// authority's certificate in the token.
    public struct Request: Sendable {
        public let der: [UInt8]
        let nonce: [UInt8]

        public init(over signatureValue: [UInt8]) {
            self.init(sha256: Array(SHA256.hash(data: signatureValue)))
        }

        /// A request for a digest already made: a document timestamp's byte range is hashed where it lies.
        public init(sha256: [UInt8]) {
            precondition(sha256.count == 32, "a SHA-256 digest has 32 bytes")
            var generator = SystemRandomNumberGenerator()
            // Eight bytes, the first in 1...127: a positive INTEGER in its minimal DER form.
            let nonce = [UInt8.random(in: 1...127, using: &generator)] + (0..<7).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let algorithm: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00]
            let imprint = [0x30, UInt8(algorithm.count + 34)] + algorithm + [0x04, 0x20] + sha256
            let body = [0x02, 0x01, 0x01] + imprint + [0x02, 0x08] + nonce + [0x01, 0x01, 0xFF]
            der = [0x30, UInt8(body.count)] + body
            self.nonce = nonce
        }
    }

    /// A token a TSA granted: its DER (a CMS SignedData), the time it states and who signed it.
    public struct Token: Sendable, Equatable {
        public let der: [UInt8]
        public let time: Date
        /// The TSA certificate's subject, as RFC 2253 writes it.
        public let authority: String
    }

    /// The authorities a TSA's certificate must chain to (`COCREA_TSA_CA`, PEM files separated by `:`):
    /// every certificate of the files is trusted for building the chain, which must still end at one
    /// of their self-signed roots.
    public struct Trust: Sendable {
        public static let environmentVariable = "COCREA_TSA_CA"
        let certificates: [[UInt8]]

        /// Every certificate of `pem`; refuses text without a self-signed one.
        public init(pem: String) throws {
            var certificates: [[UInt8]] = []
            var rooted = false
            Array(pem.utf8).withUnsafeBytes { buffer in
                guard let input = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return }
                defer { BIO_free(input) }
                while let certificate = PEM_read_bio_X509(input, nil, nil, nil) {
                    defer { X509_free(certificate) }
                    guard let der = TimeStamp.encode({ i2d_X509(certificate, $0) }) else { continue }
                    certificates.append(der)
                    rooted =
                        rooted || (X509_check_issued(certificate, certificate) == X509_V_OK && X509_verify(certificate, X509_get0_pubkey(certificate)) == 1)
                }
            }
            ERR_clear_error()
            guard rooted else { throw CocreaError.timestampRootsUnreadable }
            self.certificates = certificates
        }

        /// The certificates of every file in `paths`, read as one PEM bundle.
        public init(files paths: [String]) throws {
            var pem = ""
            for path in paths {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CocreaError.timestampRootsUnreadable }
                pem += text + "\n"
            }
            try self.init(pem: pem)
        }

        /// A store of these certificates that checks validity at `instant` (the token's genTime).
        fileprivate func store(at instant: time_t) -> OpaquePointer? {
            guard let store = X509_STORE_new() else { return nil }
            for der in certificates {
                guard let certificate = TimeStamp.decode(der, { d2i_X509(nil, $0, $1) }) else { continue }
                defer { X509_free(certificate) }
                guard X509_STORE_add_cert(store, certificate) == 1 else {
                    X509_STORE_free(store)
                    return nil
                }
            }
            X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), instant)
            return store
        }
    }

    /// How far a token's time may be from the server's clock, either way, before it is refused: a TSA
    /// is synchronised to UTC(CNM) or the like, so more means one of the two clocks is wrong.
    public static let maximumClockSkew: TimeInterval = 300

    /// Why a TSA's answer or a CMS cannot be used; kept with the waiting request and shown to the
    /// operator, never to a signer.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable
        /// `definitive` when the authority rejected the request for good (a bad request, algorithm or
        /// policy); its being busy, out of time or failing is worth another attempt.
        case refused(status: Int, definitive: Bool)
        case mismatch
        /// Signed by a certificate that is not a time-stamping one, not the one the token names (ESSCertID),
        /// not valid at the token's time, or not chained to `COCREA_TSA_CA`.
        case untrusted
        case clockSkew(time: Date, clock: Date)
        case notSignedCMS

        public var description: String {
            switch self {
            case .unreadable: "la respuesta de la autoridad de sellado de tiempo no es un sello de tiempo firmado"
            case .refused(let status, true): "la autoridad de sellado de tiempo rechazó la solicitud (estado \(status)) y la rechazará igual si se repite"
            case .refused(let status, false): "la autoridad de sellado de tiempo no concedió el sello (estado \(status))"
            case .mismatch: "el sello de tiempo no corresponde a esta solicitud (huella, nonce o firma distintos)"
            case .untrusted:
                "el sello de tiempo no lo firmó un certificado de sellado de tiempo vigente que encadene a las autoridades de COCREA_TSA_CA"
            case .clockSkew(let time, let clock):
                "la hora del sello de tiempo (\(Self.utc(time))) difiere más de 5 minutos del reloj del servidor (\(Self.utc(clock))); revise la sincronización (NTP) del servidor y de la autoridad"
            case .notSignedCMS: "no es una firma CMS SignedData con un solo firmante"
            }
        }

        private static func utc(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
    }

    /// The token of `response` after every check: granted; over this request's imprint and nonce; its
    /// CMS signature valid over the TSTInfo, by the certificate its ESSCertID names, a time-stamping
    /// certificate (critical extendedKeyUsage timeStamping only) valid at the token's time and chained to
    /// `trust`; and its time within `maximumClockSkew` of `now`.
    public static func token(from response: [UInt8], for request: Request, trusting trust: Trust, at now: Date) throws(Failure) -> Token {
        defer { ERR_clear_error() }
        guard response.count <= maximumResponseBytes, let parsed = decode(response, { d2i_TS_RESP(nil, $0, $1) }) else { throw .unreadable }
        defer { TS_RESP_free(parsed) }
        guard let information = TS_RESP_get_status_info(parsed), let statusValue = TS_STATUS_INFO_get0_status(information) else {
            throw .unreadable
        }
        let status = ASN1_INTEGER_get(statusValue)
        // 0 granted, 1 granted with modifications; anything else carries no usable token.
        guard status == 0 || status == 1 else { throw .refused(status: status, definitive: isDefinitive(status: status, information)) }
        guard let tokenPointer = TS_RESP_get_token(parsed), let der = encode({ i2d_PKCS7(tokenPointer, $0) }),
            let tstInfo = TS_RESP_get_tst_info(parsed), let genTime = TS_TST_INFO_get_time(tstInfo)
        else { throw .unreadable }
        var parts = tm()
        guard ASN1_TIME_to_tm(genTime, &parts) == 1 else { throw .unreadable }
        let instant = timegm(&parts)
        guard let original = decode(request.der, { d2i_TS_REQ(nil, $0, $1) }) else { throw .mismatch }
        defer { TS_REQ_free(original) }
        guard let matching = TS_REQ_to_TS_VERIFY_CTX(original, nil) else { throw .mismatch }
        defer { TS_VERIFY_CTX_free(matching) }
        TS_VERIFY_CTX_set_flags(matching, Int32(TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE))
        guard TS_RESP_verify_response(matching, parsed) == 1 else { throw .mismatch }
        // OpenSSL's own check of the signer: the chain under purpose timestampsign (which wants the
        // critical, timeStamping-only extendedKeyUsage), ESSCertID(v2) against that chain, then the signature.
        guard let signing = TS_VERIFY_CTX_new() else { throw .unreadable }
        defer { TS_VERIFY_CTX_free(signing) }
        guard let store = trust.store(at: instant) else { throw .unreadable }
        TS_VERIFY_CTX_set_store(signing, store)
        TS_VERIFY_CTX_set_flags(signing, Int32(TS_VFY_SIGNATURE))
        guard TS_RESP_verify_response(signing, parsed) == 1 else { throw .untrusted }
        guard let token = read(der) else { throw .unreadable }
        guard abs(token.time.timeIntervalSince(now)) <= maximumClockSkew else { throw .clockSkew(time: token.time, clock: now) }
        return token
    }

    /// A rejection (2) is for good unless the authority says it failed or had no time source, which
    /// it may not the next time; waiting (3) and revocation notices are worth another attempt.
    private static func isDefinitive(status: Int, _ information: OpaquePointer) -> Bool {
        guard status == 2 else { return false }
        guard let failure = TS_STATUS_INFO_get0_failure_info(information) else { return true }
        return ASN1_BIT_STRING_get_bit(failure, TS_INFO_TIME_NOT_AVAILABLE) == 0 && ASN1_BIT_STRING_get_bit(failure, TS_INFO_SYSTEM_FAILURE) == 0
    }

    /// The signature value of a CMS SignedData's one signer: what its timestamp is over.
    public static func signatureValue(of cms: [UInt8]) throws(Failure) -> [UInt8] {
        defer { ERR_clear_error() }
        guard let content = decode(cms, { d2i_CMS_ContentInfo(nil, $0, $1) }) else { throw .notSignedCMS }
        defer { CMS_ContentInfo_free(content) }
        guard let signer = cocrea_cms_only_signer(content), let value = CMS_SignerInfo_get0_signature(signer) else { throw .notSignedCMS }
        return bytes(of: UnsafePointer(value))
    }

    /// `cms` with `token` added to its signer's unsigned attributes; the signed part is unchanged.
    public static func attaching(_ token: Token, to cms: [UInt8]) throws(Failure) -> [UInt8] {
        defer { ERR_clear_error() }
        guard let content = decode(cms, { d2i_CMS_ContentInfo(nil, $0, $1) }) else { throw .notSignedCMS }
        defer { CMS_ContentInfo_free(content) }
        guard let signer = cocrea_cms_only_signer(content), cocrea_signer_timestamp(signer) == nil else { throw .notSignedCMS }
        let added = token.der.withUnsafeBytes { buffer in
            CMS_unsigned_add1_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, buffer.baseAddress, Int32(buffer.count))
        }
        guard added == 1, let stamped = encode({ i2d_CMS_ContentInfo(content, $0) }) else { throw .notSignedCMS }
        return stamped
    }

    /// The timestamp `cms` carries, when it is a token signed by its TSA certificate over this CMS's
    /// signature value; nil when there is none or it is not one. Works offline, whenever it is read:
    /// the authority's certificate is not checked against the clock or any root, only named, for the
    /// reader to judge (pyHanko does, given the authority's root).
    public static func stamp(in cms: [UInt8]) -> Token? {
        defer { ERR_clear_error() }
        guard let content = decode(cms, { d2i_CMS_ContentInfo(nil, $0, $1) }) else { return nil }
        defer { CMS_ContentInfo_free(content) }
        guard let signer = cocrea_cms_only_signer(content), let attribute = cocrea_signer_timestamp(signer),
            let value = CMS_SignerInfo_get0_signature(signer)
        else { return nil }
        return verified(bytes(of: attribute), over: bytes(of: UnsafePointer(value)))
    }

    /// The token of a document timestamp (`/ETSI.RFC3161`), when `der` is one signed by its TSA
    /// certificate over the SHA-256 of `data` (the byte range); nil otherwise. Offline, as `stamp(in:)`.
    public static func documentStamp(_ der: [UInt8], over data: [UInt8]) -> Token? {
        defer { ERR_clear_error() }
        return verified(der, over: data)
    }

    /// `der` read as a token, when its signature holds by its own TSA certificate and its imprint is `data`'s.
    private static func verified(_ der: [UInt8], over covered: [UInt8]) -> Token? {
        guard let token = decode(der, { d2i_PKCS7(nil, $0, $1) }) else { return nil }
        defer { PKCS7_free(token) }
        guard let authority = cocrea_timestamp_signer(token) else { return nil }
        defer { X509_free(authority) }
        guard let context = TS_VERIFY_CTX_new() else { return nil }
        defer { TS_VERIFY_CTX_free(context) }
        guard trustOnly(authority, context: context) else { return nil }
        // A BIO with its own copy of what the token is over, which the context owns and frees.
        guard let data = BIO_new(BIO_s_mem()) else { return nil }
        TS_VERIFY_CTX_set_data(context, data)
        let written = covered.withUnsafeBytes { BIO_write(data, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(covered.count) else { return nil }
        TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_SIGNATURE | TS_VFY_VERSION | TS_VFY_DATA))
        return TS_RESP_verify_token(context, token) == 1 ? read(der) : nil
    }

    /// Makes `authority` the only certificate the check trusts: a token's signature is checked, and
    /// its certificate must be one for time-stamping, but which authorities to believe is the reader's call.
    private static func trustOnly(_ authority: OpaquePointer, context: OpaquePointer) -> Bool {
        guard let store = X509_STORE_new() else { return false }
        guard X509_STORE_add_cert(store, authority) == 1 else {
            X509_STORE_free(store)
            return false
        }
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN) | UInt(X509_V_FLAG_NO_CHECK_TIME))
        TS_VERIFY_CTX_set_store(context, store)
        return true
    }

    /// The time and authority of a token already checked.
    private static func read(_ der: [UInt8]) -> Token? {
        guard let token = decode(der, { d2i_PKCS7(nil, $0, $1) }) else { return nil }
        defer { PKCS7_free(token) }
        guard let information = PKCS7_to_TS_TST_INFO(token) else { return nil }
        defer { TS_TST_INFO_free(information) }
        guard let signer = cocrea_timestamp_signer(token) else { return nil }
        defer { X509_free(signer) }
        var parts = tm()
        guard let time = TS_TST_INFO_get_time(information), ASN1_TIME_to_tm(time, &parts) == 1, let name = X509_get_subject_name(signer),
            let output = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(output) }
        guard cocrea_name_print(output, name) >= 0 else { return nil }
        var text: UnsafeMutablePointer<CChar>?
        let length = cocrea_bio_memory(output, &text)
        guard length >= 0, let text else { return nil }
        let authority = String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
        return Token(der: der, time: Date(timeIntervalSince1970: TimeInterval(timegm(&parts))), authority: authority)
    }

    /// A DER structure parsed by one of OpenSSL's `d2i_` functions, which reads no further than the bytes given.
    fileprivate static func decode<T>(_ der: [UInt8], _ parse: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> T?) -> T? {
        der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return parse(&cursor, buffer.count)
        }
    }

    /// The DER one of OpenSSL's `i2d_` functions writes.
    fileprivate static func encode(_ write: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) -> [UInt8]? {
        var output: UnsafeMutablePointer<UInt8>?
        let length = write(&output)
        guard length > 0, let output else { return nil }
        defer { CRYPTO_free(output, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    private static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        guard let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }
}
