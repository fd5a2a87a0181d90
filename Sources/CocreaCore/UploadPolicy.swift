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
        guard !filename.isEmpty else { throw CocreaError.fileUnnamed }
        guard !bytes.isEmpty else { throw CocreaError.fileEmpty(filename) }
        guard bytes.count <= maximumBytes else {
            throw CocreaError.fileTooLarge(filename, bytes: bytes.count, maximumBytes: maximumBytes)
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
                throw CocreaError.fileTypeNotAllowed(ext)
            }
        }
        guard let mediaType else {
            throw CocreaError.fileContentMismatch(filename, ext: ext)
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
}
