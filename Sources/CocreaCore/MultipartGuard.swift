/// Checks of a multipart/form-data body that keep MultipartKit 4.7 from trapping (which would crash
/// the server): it asserts a non-empty boundary and traps on a part header name with a byte outside
/// ASCII. Pure, so it can be fuzzed on its own.
public enum MultipartGuard {
    /// A boundary as RFC 2046 §5.1.1 allows: 1 to 70 characters from its set, not ending in a space.
    public static func isValidBoundary(_ boundary: String) -> Bool {
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        return (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy(allowed.contains) && boundary.last != " "
    }

    /// Whether MultipartKit 4.7's parser, reading these bytes, never takes a byte outside ASCII as part
    /// of a header name (it looks the byte up in a 128-entry table and traps). Its state machine is
    /// followed step by step, since where it thinks a header name starts is what matters: a header
    /// value ends at a CR, not at a lone LF, so splitting lines on LF let such a name through (found
    /// by fuzzing). Bytes it would refuse as a syntax error are its own to refuse.
    public static func partHeaderNamesAreASCII(_ bytes: [UInt8], boundary: String) -> Bool {
        bytes.withUnsafeBytes { partHeaderNamesAreASCII($0, boundary: boundary) }
    }

    /// The same check over bytes held elsewhere (a request body's buffer), read where they are: a
    /// 21 MB upload is not copied to be checked.
    public static func partHeaderNamesAreASCII(_ bytes: UnsafeRawBufferPointer, boundary: String) -> Bool {
        enum State {
            case preamble(matched: Int)
            case afterBoundary(expectingCR: Bool)
            case headerName(empty: Bool)
            case headerValue
            case afterHeaderValue, afterHeaders, body
            case delimiter(matched: Int)
        }
        let cr: UInt8 = 13
        let lf: UInt8 = 10
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var state = State.preamble(matched: 0)
        for byte in bytes {
            switch state {
            case .preamble(var matched):
                // As MultipartKit matches it: the first delimiter may come without its CRLF.
                if matched == 0, byte == delimiter[2] {
                    matched = 3
                } else if byte == delimiter[matched] {
                    matched += 1
                } else {
                    matched = matched > 0 && byte == cr ? 1 : 0
                }
                state = matched == delimiter.count ? .afterBoundary(expectingCR: true) : .preamble(matched: matched)
            case .afterBoundary(let expectingCR):
                guard byte == (expectingCR ? cr : lf) else { return true }
                state = expectingCR ? .afterBoundary(expectingCR: false) : .headerName(empty: true)
            case .headerName(let empty):
                if byte == UInt8(ascii: ":") && !empty {
                    state = .headerValue
                } else if byte == cr && empty {
                    state = .afterHeaders
                } else if byte >= 0x80 {
                    return false
                } else if headerNameCharacters.contains(byte) {
                    state = .headerName(empty: false)
                } else {
                    return true
                }
            case .headerValue:
                if byte == cr { state = .afterHeaderValue }
            case .afterHeaderValue:
                guard byte == lf else { return true }
                state = .headerName(empty: true)
            case .afterHeaders:
                guard byte == lf else { return true }
                state = .body
            case .body:
                if byte == cr { state = .delimiter(matched: 1) }
            case .delimiter(let matched):
                if matched == delimiter.count {
                    // After a whole delimiter: CRLF and the next part's headers, or "--" and the end.
                    guard byte == cr else { return true }
                    state = .afterBoundary(expectingCR: false)
                } else if byte == delimiter[matched] {
                    state = .delimiter(matched: matched + 1)
                } else {
                    state = byte == cr ? .delimiter(matched: 1) : .body
                }
            }
        }
        return true
    }

    /// What MultipartKit takes in a header name: RFC 822's token characters.
    private static let headerNameCharacters = Set("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~".utf8)
}
