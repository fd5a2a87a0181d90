/// How a request path reads against the folder of public files, before anything asks the file system:
/// whether it climbs out of the folder (`../` anywhere), and whether it names a file plainly (no `//`,
/// no `.` segment), so that only a plain path need be looked up among the files listed at start-up.
public struct PublicPath: Equatable, Sendable {
    public var climbs: Bool
    public var plain: Bool

    public init(climbs: Bool, plain: Bool) {
        self.climbs = climbs
        self.plain = plain
    }

    /// Reads `relative`, a decoded path with its leading slashes dropped, in one pass over its bytes,
    /// since every request asks. Bytes, not characters: a `/` followed by a combining mark is still a `/`.
    public init(reading relative: Substring) {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var climbs = false
        var plain = true
        var last: UInt8 = 0
        var beforeLast: UInt8 = 0
        // The bytes of the current segment so far, counted to 2: only a segment of one byte can be `.`.
        var segment = 0
        for byte in relative.utf8 {
            if byte == slash {
                if last == dot && beforeLast == dot { climbs = true }
                if last == slash || (segment == 1 && last == dot) { plain = false }
                segment = 0
            } else {
                segment = 1 + min(segment, 1)
            }
            beforeLast = last
            last = byte
        }
        if segment == 1 && last == dot { plain = false }
        self.init(climbs: climbs, plain: plain)
    }
}
