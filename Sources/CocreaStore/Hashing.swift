import CocreaCore
import Crypto
import Foundation

public enum Hashing {
    /// Lowercase hex. Every session and token lookup takes one.
    public static func sha256Hex(_ data: some DataProtocol) -> String {
        let digest = SHA256.hash(data: data)
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                (buffer[index], buffer[index + 1]) = Hex.digits(of: byte)
                index += 2
            }
            return index
        }
    }

    public static func sha256Hex(_ text: String) -> String {
        sha256Hex(Data(text.utf8))
    }

    /// A URL-safe random secret (256 bits) for links and API tokens; only its hash is ever stored.
    /// Every anonymous page with a form takes one: the bytes come from one draw of the cryptographic
    /// generator (a draw per byte was a system call per byte) and base64url is written byte by byte.
    public static func randomToken() -> String {
        let base64 = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        return String(
            decoding: base64.utf8.compactMap { byte -> UInt8? in
                switch byte {
                case UInt8(ascii: "+"): UInt8(ascii: "-")
                case UInt8(ascii: "/"): UInt8(ascii: "_")
                case UInt8(ascii: "="): nil
                default: byte
                }
            }, as: UTF8.self)
    }
}
