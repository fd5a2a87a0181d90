import COpenSSL
import CocreaCore
import Foundation

/// Whether an e.firma certificate was revoked, asked of its authority's OCSP responder (RFC 6960): the
/// request names the certificate by its issuer and serial and carries a nonce; an answer counts only when
/// it is signed by the issuer or by a responder the issuer delegated (id-kp-OCSPSigning) under the trusted
/// roots, speaks of that certificate, repeats the nonce unless it leaves it out, and is current. The answer's bytes are kept, so
/// the signature can be checked later without the network.
public enum EFirmaRevocation {
    public static let requestMediaType = "application/ocsp-request"
    public static let responseMediaType = "application/ocsp-response"
    /// A responder's answer for one certificate is a few kilobytes; anything far larger is not read.
    public static let maximumResponseBytes = 64 * 1024
    /// How far the responder's clock may be from ours.
    static let clockSkew: TimeInterval = 300
    /// An answer without `nextUpdate` says its status is current only when it was made.
    static let maximumAgeWithoutNextUpdate: TimeInterval = 900

    /// The DER request for one certificate, with its nonce.
    public struct Query: Sendable {
        public let der: [UInt8]
        let certificate: [UInt8]
        let issuer: [UInt8]

        public init(certificate: [UInt8], issuer: [UInt8]) throws {
            let subject = try EFirma.openSSLCertificate(certificate)
            defer { X509_free(subject) }
            let authority = try EFirma.openSSLCertificate(issuer)
            defer { X509_free(authority) }
            defer { ERR_clear_error() }
            guard let request = OCSP_REQUEST_new() else { throw Unusable("no request") }
            defer { OCSP_REQUEST_free(request) }
            guard let id = OCSP_cert_to_id(nil, subject, authority) else { throw Unusable("no certificate id") }
            guard OCSP_request_add0_id(request, id) != nil else {
                OCSP_CERTID_free(id)
                throw Unusable("no certificate id")
            }
            guard OCSP_request_add1_nonce(request, nil, -1) == 1 else { throw Unusable("no nonce") }
            var output: UnsafeMutablePointer<UInt8>?
            let length = i2d_OCSP_REQUEST(request, &output)
            guard length > 0, let output else { throw Unusable("no request") }
            defer { CRYPTO_free(output, #fileID, #line) }
            der = Array(UnsafeBufferPointer(start: output, count: Int(length)))
            self.certificate = certificate
            self.issuer = issuer
        }
    }

    public enum Status: Sendable, Equatable {
        case good
        case revoked(on: Date)
        /// The responder does not know the certificate: it cannot be shown to be the authority's.
        case unknown
    }

    /// A trustworthy answer: the status, when the responder made it, and its bytes to keep.
    public struct Answer: Sendable {
        public let status: Status
        public let producedAt: Date
        public let der: [UInt8]
    }

    /// Why an answer cannot be relied on: said in the logs; to the signer it is an unreachable responder.
    public struct Unusable: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Reads `response` to `query`, trusting what chains to `trust` at `instant`; throws `Unusable` for
    /// anything but a signed, current answer about the asked certificate.
    public static func answer(_ response: [UInt8], to query: Query, trust: EFirmaTrust, at instant: Date) throws -> Answer {
        defer { ERR_clear_error() }
        guard !response.isEmpty, response.count <= maximumResponseBytes else { throw Unusable("empty or oversized response") }
        let parsed = response.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_OCSP_RESPONSE(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw Unusable("not an OCSP response") }
        defer { OCSP_RESPONSE_free(parsed) }
        let responseStatus = OCSP_response_status(parsed)
        guard responseStatus == OCSP_RESPONSE_STATUS_SUCCESSFUL else { throw Unusable("the responder answered status \(responseStatus)") }
        guard let basic = OCSP_response_get1_basic(parsed) else { throw Unusable("no basic response") }
        defer { OCSP_BASICRESP_free(basic) }

        let request = query.der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_OCSP_REQUEST(nil, &cursor, buffer.count)
        }
        guard let request else { throw Unusable("unreadable request") }
        defer { OCSP_REQUEST_free(request) }
        // 1: the nonce came back; -1: the responder left it out, as responders serving answers made in
        // advance do (RFC 5019), and the answer then stands on its thisUpdate/nextUpdate below; 0: another.
        guard [1, -1].contains(OCSP_check_nonce(request, basic)) else { throw Unusable("the nonce is different") }

        let (store, intermediates) = try trust.store(at: instant)
        defer {
            X509_STORE_free(store)
            cocrea_certificate_stack_free(intermediates)
        }
        // With no flags OpenSSL checks the signature, chains the signer to the anchors, and accepts it only
        // as the certificate's issuer or a responder that issuer delegated with id-kp-OCSPSigning.
        guard OCSP_basic_verify(basic, intermediates, store, 0) == 1 else { throw Unusable("the answer's signer is not trusted") }

        let subject = try EFirma.openSSLCertificate(query.certificate)
        defer { X509_free(subject) }
        let issuer = try EFirma.openSSLCertificate(query.issuer)
        defer { X509_free(issuer) }
        guard let id = OCSP_cert_to_id(nil, subject, issuer) else { throw Unusable("no certificate id") }
        defer { OCSP_CERTID_free(id) }
        var status: Int32 = -1
        var reason: Int32 = -1
        var revokedAt: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
        var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
        var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
        guard OCSP_resp_find_status(basic, id, &status, &reason, &revokedAt, &thisUpdate, &nextUpdate) == 1 else {
            throw Unusable("the answer does not speak of this certificate")
        }
        guard let made = EFirmaCertificate.date(thisUpdate) else { throw Unusable("no thisUpdate") }
        guard made <= instant.addingTimeInterval(clockSkew) else { throw Unusable("thisUpdate is in the future") }
        if let nextUpdate {
            guard let next = EFirmaCertificate.date(nextUpdate), next >= instant.addingTimeInterval(-clockSkew), next >= made else {
                throw Unusable("the answer is stale (nextUpdate passed)")
            }
        } else {
            guard made >= instant.addingTimeInterval(-(maximumAgeWithoutNextUpdate + clockSkew)) else { throw Unusable("the answer is stale") }
        }
        let producedAt = EFirmaCertificate.date(OCSP_resp_get0_produced_at(basic)) ?? made
        switch status {
        case V_OCSP_CERTSTATUS_GOOD:
            return Answer(status: .good, producedAt: producedAt, der: response)
        case V_OCSP_CERTSTATUS_REVOKED:
            guard let revoked = EFirmaCertificate.date(revokedAt) else { throw Unusable("no revocation time") }
            return Answer(status: .revoked(on: revoked), producedAt: producedAt, der: response)
        default:
            return Answer(status: .unknown, producedAt: producedAt, der: response)
        }
    }
}
