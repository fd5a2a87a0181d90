import COpenSSL
import CocreaCore
import Foundation

/// The certificate (`.cer`, DER X.509) of a SAT e.firma, and the holder it names: the SAT writes the
/// RFC in `x500UniqueIdentifier` (2.5.4.45) and the CURP in `serialNumber` (2.5.4.5), and for a legal
/// person both as «holder / legal representative» (`EMP010101AB1 / PEGJ800101AB1`, ` / PEGJ800101HDFRRN09`).
///
/// Read with OpenSSL, not swift-certificates: swift-crypto 3.12 frees an RSA key twice when its
/// public key does not parse, so an uploaded certificate with a malformed key would stop the process.
public struct EFirmaCertificate: Sendable {
    /// An e.firma file is one or two kilobytes; anything far larger is not one, and is not parsed.
    public static let maximumFileSize = 16 * 1024

    public let der: [UInt8]
    /// The holder's RFC, then the legal representative's when the holder is a legal person.
    public let rfcs: [String]
    /// The holder's CURP (a natural person) or the legal representative's.
    public let curps: [String]
    /// The holder's name as the SAT writes it (common name).
    public let holderName: String
    /// The issuing authority, e.g. «AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA».
    public let issuerName: String
    /// The serial number in hexadecimal, as the SAT's and OpenSSL's tools print it.
    public let serialNumber: String
    public let notValidBefore: Date
    public let notValidAfter: Date
    /// The subject's organisational unit, where the SAT writes the branch («sucursal») a Certificado de
    /// Sello Digital is for; an e.firma carries none (phpcfdi/credentials' `satType()` tells them apart so).
    public let branchName: String
    /// The OCSP responder its authority names (Authority Information Access, id-ad-ocsp), if any.
    public let ocspURL: String?

    public init(der bytes: some Collection<UInt8>) throws {
        guard bytes.count <= Self.maximumFileSize else { throw CocreaError.efirmaNotCertificate }
        let der = Array(bytes)
        let certificate = try EFirma.openSSLCertificate(der)
        defer { X509_free(certificate) }
        guard X509_get0_pubkey(certificate) != nil, let subject = X509_get_subject_name(certificate),
            let issuer = X509_get_issuer_name(certificate),
            let notBefore = Self.date(X509_get0_notBefore(certificate)), let notAfter = Self.date(X509_get0_notAfter(certificate)),
            let serial = Self.hexadecimal(X509_get0_serialNumber(certificate))
        else {
            ERR_clear_error()
            throw CocreaError.efirmaNotCertificate
        }
        self.der = der
        rfcs = Self.identifiers(Self.text(subject, NID_x500UniqueIdentifier))
        curps = Self.identifiers(Self.text(subject, NID_serialNumber))
        holderName = Self.text(subject, NID_commonName) ?? ""
        issuerName = Self.text(issuer, NID_commonName) ?? Self.text(issuer, NID_organizationName) ?? ""
        serialNumber = serial
        notValidBefore = notBefore
        notValidAfter = notAfter
        branchName = (Self.text(subject, NID_organizationalUnitName) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let url = cocrea_ocsp_url(certificate) {
            ocspURL = String(cString: url)
            CRYPTO_free(url, #fileID, #line)
        } else {
            ocspURL = nil
        }
    }

    /// A Certificado de Sello Digital (CSD): issued by the SAT on the same roots as the e.firma, but only
    /// for sealing invoices, never for signing as a person.
    public var isSealCertificate: Bool { !branchName.isEmpty }

    /// The holder's RFC, which names who signs.
    public var rfc: String? { rfcs.first }

    public var curp: String? { curps.first }

    /// Whether the certificate names this person: every identifier the member gave must be one the certificate carries,
    /// and at least one must be given.
    public func names(rfc: String?, curp: String?) -> Bool {
        let rfc = rfc.map(Self.normalised).flatMap { $0.isEmpty ? nil : $0 }
        let curp = curp.map(Self.normalised).flatMap { $0.isEmpty ? nil : $0 }
        guard rfc != nil || curp != nil else { return false }
        if let rfc, !rfcs.contains(rfc) { return false }
        if let curp, !curps.contains(curp) { return false }
        return true
    }

    /// Refuses a certificate outside its validity at `instant`.
    public func checkValidity(at instant: Date) throws {
        if instant < notValidBefore { throw CocreaError.efirmaNotYetValid(from: notValidBefore) }
        if instant > notValidAfter { throw CocreaError.efirmaExpired(on: notValidAfter) }
    }

    /// The certificates of `bytes`, DER one after another as a signature keeps its chain; stops at the first
    /// that does not read.
    public static func certificates(concatenated bytes: some Collection<UInt8>) -> [[UInt8]] {
        let data = Array(bytes)
        var found: [[UInt8]] = []
        data.withUnsafeBufferPointer { buffer in
            guard var cursor = buffer.baseAddress else { return }
            let end = buffer.baseAddress! + buffer.count
            while cursor < end {
                let start = cursor
                var next: UnsafePointer<UInt8>? = cursor
                guard let certificate = d2i_X509(nil, &next, end - cursor), let next else { break }
                X509_free(certificate)
                found.append(Array(UnsafeBufferPointer(start: start, count: next - start)))
                cursor = next
            }
        }
        ERR_clear_error()
        return found
    }

    /// The parts of the attribute, holder first: «A / B» gives [A, B], « / B» gives [B].
    static func identifiers(_ value: String?) -> [String] {
        (value ?? "").split(separator: "/").map { normalised(String($0)) }.filter { !$0.isEmpty }
    }

    /// The first value of the attribute `nid` in `name`, as UTF-8 whatever string type it was written in.
    static func text(_ name: OpaquePointer, _ nid: Int32) -> String? {
        let index = X509_NAME_get_index_by_NID(name, nid, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var output: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&output, data)
        guard length >= 0, let output else { return nil }
        defer { CRYPTO_free(output, #fileID, #line) }
        return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    static func hexadecimal(_ integer: UnsafePointer<ASN1_INTEGER>?) -> String? {
        guard let integer, let number = ASN1_INTEGER_to_BN(integer, nil) else { return nil }
        defer { BN_free(number) }
        guard let text = BN_bn2hex(number) else { return nil }
        defer { CRYPTO_free(text, #fileID, #line) }
        return String(cString: text)
    }

    static func normalised(_ identifier: String) -> String {
        identifier.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }
}
