import CocreaCore
import FuzzInput

/// A request path as `PublicFilesMiddleware` reads it (decoded, leading slashes dropped): the one-pass
/// reading agrees with the plain definition over the path's bytes, for any bytes, and never traps.
Fuzzer.run { (input: inout FuzzInput) in
    let relative = String(decoding: input.bytes, as: UTF8.self).drop { $0 == "/" }
    let bytes = Array(relative.utf8)
    let read = PublicPath(reading: relative)
    let segments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    let expected = PublicPath(
        climbs: contains(bytes, Array("../".utf8)),
        plain: !contains(bytes, Array("//".utf8)) && !segments.contains { $0.elementsEqual([UInt8(ascii: ".")]) })
    guard read == expected else { FuzzInput.violated("the one-pass reading of a path disagrees with its definition") }
}

private func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
    guard bytes.count >= needle.count else { return false }
    return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
}
