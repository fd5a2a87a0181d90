import CocreaCore
import Foundation
import Testing

/// The digits written directly are the ones `String(format:)` writes, for every byte, in both cases.
@Suite struct HexTests {
    @Test func everyByteHasTheTwoDigitsFormatWrites() {
        for byte in UInt8.min...UInt8.max {
            let lower = Hex.digits(of: byte)
            let upper = Hex.digits(of: byte, uppercase: true)
            #expect(String(decoding: [lower.high, lower.low], as: UTF8.self) == String(format: "%02x", byte))
            #expect(String(decoding: [upper.high, upper.low], as: UTF8.self) == String(format: "%02X", byte))
        }
    }
}
