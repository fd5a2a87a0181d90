/// Hexadecimal digits written directly, not through `String(format:)` per byte: a token's hash on every
/// authenticated request, a signature's `/Contents` in a PDF and quoted-printable mail all write them.
public enum Hex {
    /// The ASCII digit of a value under 16.
    @inlinable
    public static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + (nibble - 10)
    }

    /// The two digits of a byte, the high one first.
    @inlinable
    public static func digits(of byte: UInt8, uppercase: Bool = false) -> (high: UInt8, low: UInt8) {
        (digit(byte >> 4, uppercase: uppercase), digit(byte & 0x0F, uppercase: uppercase))
    }
}
