import Foundation

/// Whether every place a ZIP file points to lies inside it: checked before ZIPFoundation opens a
/// workbook from memory, because its in-memory reader mishandles files that point elsewhere (both
/// found by fuzzing):
/// - with no end record it throws without closing the in-memory file it opened, which keeps the
///   whole upload allocated for the life of the process;
/// - asked to read past the end (a directory, file header or data descriptor placed beyond it) it
///   computes a negative length and traps, which stops the server.
///
/// So the end record must be where the format puts it (in the last 22 bytes plus a comment of at
/// most 65,535), and each of the entries it announces must have its directory record, its local
/// header and its data inside the file. ZIP64 is refused: a workbook within `RequestFile`'s limits
/// never needs it.
enum ZIPLayout {
    static func isSound(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
            func signature(_ at: Int, _ kind: UInt8) -> Bool {
                at >= 0 && at + 4 <= bytes.count && bytes[at] == 0x50 && bytes[at + 1] == 0x4B && bytes[at + 2] == kind && bytes[at + 3] == kind + 1
            }
            // The end record nearest the end, as ZIPFoundation looks for it.
            guard bytes.count >= 22 else { return false }
            let last = bytes.count - 22
            guard let end = stride(from: last, through: max(0, last - 65_535), by: -1).first(where: { signature($0, 5) }),
                end + 22 + u16(end + 20) <= bytes.count, !signature(end - 20, 6)
            else { return false }
            let entries = u16(end + 10)
            var record = u32(end + 16)
            guard entries != 0xFFFF, record != 0xFFFF_FFFF else { return false }
            for _ in 0..<entries {
                guard record + 46 <= bytes.count, signature(record, 1) else { return false }
                let (compressed, uncompressed, header) = (u32(record + 20), u32(record + 24), u32(record + 42))
                guard ![compressed, uncompressed, header].contains(0xFFFF_FFFF),
                    header + 30 <= bytes.count, signature(header, 3)
                else { return false }
                let contents = header + 30 + u16(header + 26) + u16(header + 28)
                // The data, and the descriptor after it that bit 3 of the flags announces.
                let descriptor = contents + (u16(record + 10) == 0 ? uncompressed : compressed)
                guard contents <= bytes.count, descriptor <= bytes.count else { return false }
                record += 46 + u16(record + 28) + u16(record + 30) + u16(record + 32)
            }
            return true
        }
    }
}
