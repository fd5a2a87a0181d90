import Foundation

/// The Document Security Store (ISO 32000-2 §12.8.4.3, PAdES B-LT): an incremental update whose catalog
/// gains `/DSS` with the certificates and OCSP responses a validator needs to check the e.firma
/// signatures later without the network. Written before the instance's seal, so the seal (and its
/// trusted timestamp) covers the validation data as a PAdES B-LTA document timestamp would.
public enum PDFDSS {
    /// `pdf` with a DSS holding `certificates` (DER, each once) and `ocspResponses` (DER); `pdf` itself
    /// when there is nothing to keep.
    public static func appending(certificates: [[UInt8]], ocspResponses: [[UInt8]], to pdf: Data) throws -> Data {
        var unique: [[UInt8]] = []
        for certificate in certificates where !certificate.isEmpty && !unique.contains(certificate) { unique.append(certificate) }
        let responses = ocspResponses.filter { !$0.isEmpty }
        guard !unique.isEmpty || !responses.isEmpty else { return pdf }
        let file = try PDFFile([UInt8](pdf))
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        let catalog = try file.dictionary(of: root)
        guard !catalog.has("DSS") else { throw PDFSignatureError.unsupported("el catálogo ya tiene /DSS") }

        var update = PDFUpdate(file)
        let certificateObjects = unique.map { data in
            let number = update.newObject()
            update.object(number, "<< /Length \(data.count) >>", stream: data)
            return number
        }
        let responseObjects = responses.map { data in
            let number = update.newObject()
            update.object(number, "<< /Length \(data.count) >>", stream: data)
            return number
        }
        let store = update.newObject()
        var entries = "/Type /DSS"
        if !certificateObjects.isEmpty { entries += " /Certs [\(certificateObjects.map { "\($0) 0 R" }.joined(separator: " "))]" }
        if !responseObjects.isEmpty { entries += " /OCSPs [\(responseObjects.map { "\($0) 0 R" }.joined(separator: " "))]" }
        update.object(store, "<< \(entries) >>")
        update.object(root, catalog.adding("/DSS \(store) 0 R"))
        return Data(try update.finish())
    }

    /// The DER certificates and OCSP responses of the file's `/DSS`, as a validator would read them.
    public static func contents(of pdf: Data) throws -> (certificates: [[UInt8]], ocspResponses: [[UInt8]]) {
        let file = try PDFFile([UInt8](pdf))
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        guard let store = try file.dictionary(of: root).reference("DSS") else { return ([], []) }
        let dictionary = try file.dictionary(of: store)
        return (
            try dictionary.references("Certs").map { try file.streamData(of: $0) },
            try dictionary.references("OCSPs").map { try file.streamData(of: $0) }
        )
    }
}
