/// Checks of a multipart/form-data body that keep MultipartKit 4.7 from trapping (which would crash
/// the server): it asserts a non-empty boundary and traps on a part header name with a byte outside
/// ASCII. Pure, so it can be fuzzed on its own.
public enum MultipartGuard {
    /// A boundary as RFC 2046 §5.1.1 allows: 1 to 70 characters from its set, not ending in a space.
    public static func isValidBoundary(_ boundary: String) -> Bool {
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        return (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy(allowed.contains) && boundary.last != " "
    }

    /// Every header line of every part has a name (the text before ":") of visible ASCII characters.
    public static func partHeaderNamesAreASCII(_ bytes: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        var position = 0
        while let start = find(delimiter, in: bytes, from: position) {
            var cursor = start + delimiter.count
            // The closing delimiter ("--boundary--") has no headers after it.
            if cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: "-") { return true }
            cursor = (find([0x0A], in: bytes, from: cursor) ?? bytes.count) + 1
            while cursor < bytes.count {
                let end = find([0x0A], in: bytes, from: cursor) ?? bytes.count
                let line = bytes[cursor..<end].last == 0x0D ? bytes[cursor..<(end - 1)] : bytes[cursor..<end]
                if line.isEmpty { break }
                let name = line.prefix { $0 != UInt8(ascii: ":") }
                if name.contains(where: { $0 < 0x21 || $0 > 0x7E }) { return false }
                cursor = end + 1
            }
            position = cursor
        }
        return true
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start < bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
