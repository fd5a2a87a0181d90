import Foundation
@_spi(CMS) import X509

/// The instance's PDF signature over a whole file, the last one it gets: an update (`PDFForm.signing`)
/// that adds a signature field and a detached CMS (`/adbe.pkcs7.detached`) over the byte range, and
/// writes the seal's manifest (who signed, which version) into the file's XMP metadata, which the
/// signature covers. The manifest stays
/// out of embedded files, which PDF/A-2 allows only when they are PDF/A themselves (docs/decisions.md).
public enum PDFSeal {
    /// Room for the seal's CMS: its P-256 signature takes about 1 KB, and its timestamp token,
    /// written in place later (`addingTimestamp`), brings the authority's chain.
    static let contentsCapacity = PDFForm.defaultCapacity

    public static func apply(to pdf: Data, identity: InstanceIdentity, manifest: Data, signingTime: Date, signerName: String, reason: String) throws -> Data {
        try PDFForm.signing(
            pdf, filling: [:], fieldName: "Sello Cocrea", subFilter: "adbe.pkcs7.detached", capacity: contentsCapacity,
            signingTime: signingTime, name: signerName, reason: reason, sealManifest: manifest
        ) { signed in
            Data(
                try CMS.sign(
                    signed, signatureAlgorithm: .ecdsaWithSHA256, certificate: identity.certificate, privateKey: identity.privateKey,
                    signingTime: signingTime, detached: true))
        }
    }

    static func pdfDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return "D:\(formatter.string(from: date))+00'00'"
    }
}
