import CocreaCore
import FuzzInput
import MultipartKit

/// A multipart/form-data request: the boundary as declared (the first field) and the body (the
/// rest). What the server does with it: `MultipartGuard` first, and only what it lets through
/// reaches MultipartKit's parser and decoder, which must then answer or throw, never trap.
private struct Form: Decodable {
    var _csrf: String?
    var title: String?
    var weight: Int?
    var file: [UInt8]?
    var signers: [String]?
    var answers: [String: [String]]?
}

Fuzzer.run { (input: inout FuzzInput) in
    let declared = input.field()
    let boundary = String(decoding: declared, as: UTF8.self)
    let body = Array(input.bytes.dropFirst(declared.count + 1))
    guard MultipartGuard.isValidBoundary(boundary), MultipartGuard.partHeaderNamesAreASCII(body, boundary: boundary) else { return }
    let parser = MultipartParser(boundary: boundary)
    parser.onHeader = { _, _ in }
    parser.onBody = { _ in }
    parser.onPartComplete = {}
    try? parser.execute(body)
    _ = try? FormDataDecoder().decode(Form.self, from: body, boundary: boundary)
}
