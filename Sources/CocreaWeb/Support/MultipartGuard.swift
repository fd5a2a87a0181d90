import CocreaCore
import Vapor

/// Checks the part headers of every multipart/form-data body before anything reads it: MultipartKit
/// 4.7 traps (crashing the server) on a header name with a byte outside ASCII, so such a body is
/// refused here as malformed, with a 400.
struct MultipartGuardMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.headers.contentType?.type == "multipart" {
            let body = try await req.body.collect(max: UploadPolicy.maximumBytes + 1_048_576).get()
            if let boundary = req.headers.contentType?.parameters["boundary"], !boundary.isEmpty, let body,
               !MultipartGuard.partHeaderNamesAreASCII(Array(body.readableBytesView), boundary: boundary) {
                throw CocreaError.invalidBody("el cuerpo multipart/form-data no es válido (un encabezado de parte tiene caracteres no permitidos).")
            }
        }
        return try await next.respond(to: req)
    }
}

enum MultipartGuard {
    /// Every header line of every part has a name (the text before ":") of visible ASCII characters.
    static func partHeaderNamesAreASCII(_ bytes: [UInt8], boundary: String) -> Bool {
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
