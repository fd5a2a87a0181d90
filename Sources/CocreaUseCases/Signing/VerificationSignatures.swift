import CocreaDocuments
import Foundation

/// One PDF signature of a checked file: an actor's e.firma, a document timestamp or the instance's seal.
package struct VerificationPDFSignatureDTO: Codable, Sendable, Equatable {
    /// The signature field's name in the file.
    package var fieldName: String
    /// Who signed: the e.firma certificate's holder, the instance, or a document timestamp's authority.
    package var name: String
    /// "efirma" (an actor's own signature, `/ETSI.CAdES.detached`), "documentTimestamp" (an authority's
    /// token over everything before it, `/ETSI.RFC3161`) or "seal" (the instance's, the last one).
    package var method: String
    /// With an e.firma: the certificate's RFC, issuing authority and serial number (hexadecimal).
    package var rfc: String?
    package var issuer: String?
    package var serial: String?
    /// The RFC 3161 timestamp that dates the signature in the file, when one does.
    package var timestamp: VerificationTimestampDTO?
    /// Where an e.firma's `timestamp` is: "signature" (its own token), "documentTimestamp" (the earliest
    /// document timestamp after it, since the authority did not answer while it was made) or "seal" (the
    /// seal's token, which covers it).
    package var timestampSource: String?
    /// How many bytes of the file the signature covers: the end of the revision it signed.
    package var coversUpTo: Int
    /// Whether the signature holds over the bytes it covers.
    package var intact: Bool
    /// Whether the file goes on after those bytes (later signatures, filled fields, validation data).
    package var modifiedAfter: Bool

    package init(
        fieldName: String, name: String, method: String, rfc: String? = nil, issuer: String? = nil, serial: String? = nil,
        timestamp: VerificationTimestampDTO? = nil, timestampSource: String? = nil, coversUpTo: Int, intact: Bool, modifiedAfter: Bool
    ) {
        self.fieldName = fieldName
        self.name = name
        self.method = method
        self.rfc = rfc
        self.issuer = issuer
        self.serial = serial
        self.timestamp = timestamp
        self.timestampSource = timestampSource
        self.coversUpTo = coversUpTo
        self.intact = intact
        self.modifiedAfter = modifiedAfter
    }
}

extension VerificationOperations {
    /// Every PDF signature of `file` in the order they were made, each checked over the bytes it covers.
    /// The seal is the instance's (`sealIntact`, checked against its certificate by `PDFSeal.verify`);
    /// an e.firma's certificate was checked against the trusted authorities when it signed, and here its
    /// signature is checked over its revision; a document timestamp's token over its byte range. Only in a
    /// file this instance sealed (`sealIntact`) does that check stand behind the certificate; in any other,
    /// a self-made certificate could carry anyone's name, so an e.firma is listed without its holder, RFC,
    /// certificate or timestamp, and a document timestamp without its authority or time. A file that
    /// cannot be read as signed lists none.
    static func pdfSignatures(in file: Data, sealName: String, sealIntact: Bool, sealTimestamp: VerificationTimestampDTO?) -> [VerificationPDFSignatureDTO] {
        guard let signatures = try? PDFSignatures.all(in: file) else { return [] }
        let documentStamps = signatures.map { signature in
            signature.subFilter == PDFDocumentTimestamp.subFilter
                ? TimeStamp.documentStamp(Array(signature.cms), over: Array(signature.signedBytes)) : nil
        }
        return signatures.enumerated().map { index, signature in
            let cms = Array(signature.cms)
            if signature.subFilter == PDFDocumentTimestamp.subFilter {
                let token = documentStamps[index]
                return VerificationPDFSignatureDTO(
                    fieldName: signature.fieldName, name: sealIntact ? token?.authority ?? "" : "", method: "documentTimestamp",
                    timestamp: sealIntact ? token.map(VerificationTimestampDTO.init) : nil, coversUpTo: signature.coversUpTo, intact: token != nil,
                    modifiedAfter: !signature.coversWholeFile)
            }
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
            let (timestamp, source) =
                signer == nil ? (nil, nil) : dating(signature, in: signatures, documentStamps: documentStamps, sealTimestamp: sealTimestamp)
            return VerificationPDFSignatureDTO(
                fieldName: signature.fieldName, name: signer?.holderName ?? "", method: "efirma", rfc: signer?.rfc, issuer: signer?.issuerName,
                serial: signer?.serialNumber, timestamp: timestamp, timestampSource: source, coversUpTo: signature.coversUpTo, intact: signer != nil,
                modifiedAfter: !signature.coversWholeFile)
        }
    }

    /// What dates an e.firma: its own token; else the earliest intact document timestamp after it; else the
    /// seal's token, which covers every signature.
    private static func dating(
        _ signature: PDFEmbeddedSignature, in signatures: [PDFEmbeddedSignature], documentStamps: [TimeStamp.Token?],
        sealTimestamp: VerificationTimestampDTO?
    ) -> (VerificationTimestampDTO?, String?) {
        if let own = TimeStamp.stamp(in: Array(signature.cms)) { return (VerificationTimestampDTO(own), "signature") }
        let covering = zip(signatures, documentStamps).first { $0.0.coversUpTo > signature.coversUpTo && $0.1 != nil }
        if let token = covering?.1 { return (VerificationTimestampDTO(token), "documentTimestamp") }
        return sealTimestamp.map { ($0, "seal") } ?? (nil, nil)
    }
}
