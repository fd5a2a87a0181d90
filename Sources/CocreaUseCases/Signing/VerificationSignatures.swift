import CocreaDocuments
import Foundation

/// One PDF signature of a checked file: an actor's e.firma or the instance's seal.
package struct VerificationPDFSignatureDTO: Codable, Sendable, Equatable {
    /// The signature field's name in the file.
    package var fieldName: String
    /// Who signed: the e.firma certificate's holder, or the instance.
    package var name: String
    /// "efirma" (an actor's own signature, `/ETSI.CAdES.detached`) or "seal" (the instance's, the last one).
    package var method: String
    /// With an e.firma: the certificate's RFC, issuing authority and serial number (hexadecimal).
    package var rfc: String?
    package var issuer: String?
    package var serial: String?
    /// The RFC 3161 timestamp the signature carries in the file, when it carries one.
    package var timestamp: VerificationTimestampDTO?
    /// How many bytes of the file the signature covers: the end of the revision it signed.
    package var coversUpTo: Int
    /// Whether the signature holds over the bytes it covers.
    package var intact: Bool
    /// Whether the file goes on after those bytes (later signatures, filled fields, validation data).
    package var modifiedAfter: Bool

    package init(
        fieldName: String, name: String, method: String, rfc: String? = nil, issuer: String? = nil, serial: String? = nil,
        timestamp: VerificationTimestampDTO? = nil, coversUpTo: Int, intact: Bool, modifiedAfter: Bool
    ) {
        self.fieldName = fieldName
        self.name = name
        self.method = method
        self.rfc = rfc
        self.issuer = issuer
        self.serial = serial
        self.timestamp = timestamp
        self.coversUpTo = coversUpTo
        self.intact = intact
        self.modifiedAfter = modifiedAfter
    }
}

extension VerificationOperations {
    /// Every PDF signature of `file` in the order they were made, each checked over the bytes it covers.
    /// The seal is the instance's (`sealIntact`, checked against its certificate by `PDFSeal.verify`);
    /// an e.firma's certificate was checked against the trusted authorities when it signed, and here its
    /// signature is checked over its revision. Only in a file this instance sealed (`sealIntact`) does
    /// that check stand behind the certificate; in any other, a self-made certificate could carry anyone's
    /// name, so an e.firma is listed without its holder, RFC, certificate or timestamp. A file that cannot
    /// be read as signed lists none.
    static func pdfSignatures(in file: Data, sealName: String, sealIntact: Bool, sealTimestamp: VerificationTimestampDTO?) -> [VerificationPDFSignatureDTO] {
        guard let signatures = try? PDFSignatures.all(in: file) else { return [] }
        return signatures.map { signature in
            let cms = Array(signature.cms)
            guard signature.subFilter == "ETSI.CAdES.detached" else {
                return VerificationPDFSignatureDTO(
                    fieldName: signature.fieldName, name: sealName, method: "seal", timestamp: sealTimestamp, coversUpTo: signature.coversUpTo,
                    intact: sealIntact, modifiedAfter: !signature.coversWholeFile)
            }
            let signer = EFirma.signer(of: cms, over: Array(signature.signedBytes))
            guard sealIntact else {
                return VerificationPDFSignatureDTO(
                    fieldName: signature.fieldName, name: "", method: "efirma", coversUpTo: signature.coversUpTo, intact: signer != nil,
                    modifiedAfter: !signature.coversWholeFile)
            }
            return VerificationPDFSignatureDTO(
                fieldName: signature.fieldName, name: signer?.holderName ?? "", method: "efirma", rfc: signer?.rfc, issuer: signer?.issuerName,
                serial: signer?.serialNumber, timestamp: signer == nil ? nil : TimeStamp.stamp(in: cms).map(VerificationTimestampDTO.init),
                coversUpTo: signature.coversUpTo, intact: signer != nil, modifiedAfter: !signature.coversWholeFile)
        }
    }
}
