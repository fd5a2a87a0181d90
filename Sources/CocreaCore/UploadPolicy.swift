/// Which files may enter the dossier: common office and open formats, checked by name and content.
public enum UploadPolicy {
    public static let maximumBytes = 20 * 1024 * 1024

    public struct Accepted: Sendable, Equatable {
        public var filename: String
        public var mediaType: String
    }

    private static let zipBased: [String: String] = [
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "zip": "application/zip",
    ]

    public static func check(filename raw: String, bytes: [UInt8]) throws(CocreaError) -> Accepted {
        let filename = sanitize(raw)
        guard !filename.isEmpty else { throw reject("El archivo no tiene nombre.") }
        guard !bytes.isEmpty else { throw reject("«\(filename)» está vacío.") }
        guard bytes.count <= maximumBytes else {
            throw CocreaError(status: 413, code: "file_too_large",
                              message: "«\(filename)» pesa \(bytes.count / 1_048_576) MB; el máximo es \(maximumBytes / 1_048_576) MB.")
        }
        let ext = filename.split(separator: ".").last.map { $0.lowercased() } ?? ""
        func starts(with prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
        let mediaType: String?
        switch ext {
        case "pdf": mediaType = starts(with: Array("%PDF-".utf8)) ? "application/pdf" : nil
        case "png": mediaType = starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : nil
        case "jpg", "jpeg": mediaType = starts(with: [0xFF, 0xD8, 0xFF]) ? "image/jpeg" : nil
        case "csv": mediaType = isText(bytes) ? "text/csv" : nil
        case "txt", "md": mediaType = isText(bytes) ? "text/plain" : nil
        default:
            if let zipType = zipBased[ext] {
                mediaType = starts(with: [0x50, 0x4B, 0x03, 0x04]) ? zipType : nil
            } else {
                throw CocreaError(status: 415, code: "file_type_not_allowed",
                                  message: "No se admiten archivos «.\(ext)». Sube PDF, Word, Excel, OpenDocument, CSV, texto o imágenes PNG/JPEG.")
            }
        }
        guard let mediaType else {
            throw CocreaError(status: 415, code: "file_content_mismatch",
                              message: "El contenido de «\(filename)» no corresponde a un archivo .\(ext).")
        }
        return Accepted(filename: filename, mediaType: mediaType)
    }

    /// The last path component as one line (`PlainText`: no line breaks, control or bidirectional
    /// characters), without quotes or leading dots, at most 200 characters.
    public static func sanitize(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = PlainText.singleLine(last).unicodeScalars.filter { !"\"<>:|?*".unicodeScalars.contains($0) }
        var name = String(String.UnicodeScalarView(cleaned)).trimmingWhitespace
        while name.hasPrefix(".") { name.removeFirst() }
        return String(name.prefix(200))
    }

    private static func isText(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil || !bytes.contains(0)
    }

    private static func reject(_ message: String) -> CocreaError {
        CocreaError(status: 422, code: "file_invalid", message: message)
    }
}
