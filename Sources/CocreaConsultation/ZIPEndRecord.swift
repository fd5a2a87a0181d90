import Foundation

/// The record that ends every ZIP file and says where its directory is. By the format it starts
/// within the last 22 bytes plus a comment of at most 65,535.
///
/// Looked for before ZIPFoundation opens a workbook from memory: when it finds no readable record it
/// throws without closing the in-memory file it opened, which keeps the whole upload allocated for
/// the life of the process (found by fuzzing), and it looks for one byte by byte through the whole file.
enum ZIPEndRecord {
    static let size = 22

    /// Whether the record nearest the end (the one ZIPFoundation reads) is there and whole.
    static func isPresent(in data: Data) -> Bool {
        guard data.count >= size else { return false }
        return data.withUnsafeBytes { bytes in
            let last = bytes.count - size
            for start in stride(from: last, through: max(0, last - 65_535), by: -1)
            where bytes[start] == 0x50 && bytes[start + 1] == 0x4B && bytes[start + 2] == 0x05 && bytes[start + 3] == 0x06 {
                let commentLength = Int(bytes[start + 20]) | Int(bytes[start + 21]) << 8
                return start + size + commentLength <= bytes.count
            }
            return false
        }
    }
}
