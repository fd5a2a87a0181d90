import Crypto
import Foundation
import SwiftASN1
import X509

/// The instance's signing key (P-256) and X.509 certificate, which seal every PAL it produces.
public struct InstanceIdentity: Sendable {
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    public init(certificatePEM: String, privateKeyPEM: String) throws {
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
            privateKey = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        } catch {
            throw PDFSignatureError.identity("el certificado o la llave PEM no se pueden leer (\(error))")
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw PDFSignatureError.identity("la llave privada no corresponde al certificado")
        }
    }

    /// A new self-signed identity, valid for 30 years from `now`.
    public static func generate(commonName: String, now: Date = Date()) throws -> (identity: InstanceIdentity, certificatePEM: String, privateKeyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Cocrea")
        }
        // 20 random octets with the top bit cleared: a positive serial that DER keeps at 20 octets
        // (a 21-octet serial is refused by NSS, which pdfsig uses).
        var serial = (0..<20).map { _ in UInt8.random(in: 0...255) }
        serial[0] = (serial[0] & 0x7F) | 0x01
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: serial),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400),
            notValidAfter: now.addingTimeInterval(30 * 365.25 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                // Self-signed, so it is its own trust anchor: RFC 5280 wants an anchor marked as a CA.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true, keyCertSign: true))
            },
            issuerPrivateKey: .init(key)
        )
        let certificatePEM = try certificate.serializeAsPEM().pemString
        let keyPEM = key.pemRepresentation
        return (try InstanceIdentity(certificatePEM: certificatePEM, privateKeyPEM: keyPEM), certificatePEM, keyPEM)
    }

    /// Loads `certificate.pem` and `private-key.pem` from `directory`, creating them on first run.
    public static func loadOrCreate(in directory: URL, commonName: String) throws -> InstanceIdentity {
        let certificateURL = directory.appendingPathComponent("certificate.pem")
        let keyURL = directory.appendingPathComponent("private-key.pem")
        let files = FileManager.default
        if files.fileExists(atPath: certificateURL.path) {
            return try InstanceIdentity(
                certificatePEM: String(contentsOf: certificateURL, encoding: .utf8),
                privateKeyPEM: String(contentsOf: keyURL, encoding: .utf8))
        }
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        let generated = try generate(commonName: commonName)
        try Data(generated.privateKeyPEM.utf8).write(to: keyURL, options: .atomic)
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
        try Data(generated.certificatePEM.utf8).write(to: certificateURL, options: .atomic)
        return generated.identity
    }

    /// A certificate alone, for checking seals against it (`cocrea verify --certificate`).
    public static func certificate(pem: String) throws -> Certificate {
        do { return try Certificate(pemEncoded: pem) } catch {
            throw PDFSignatureError.identity("el certificado PEM no se puede leer (\(error))")
        }
    }

    public var certificatePEM: String {
        (try? certificate.serializeAsPEM().pemString) ?? ""
    }

    /// The certificate's common name, e.g. "Cocrea · cocrea.jalisco.gob.mx".
    public var commonName: String {
        for name in certificate.subject {
            for attribute in name where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return "Cocrea"
    }
}
