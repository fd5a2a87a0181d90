import CQREncode

/// A QR code symbol made by libqrencode: a square of modules, dark or light.
public struct QRCode: Sendable {
    public let width: Int
    private let modules: [Bool]

    /// Encodes `text` (a URL) with medium error correction; nil only if libqrencode refuses it.
    public init?(_ text: String) {
        guard let symbol = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        // libqrencode marks a dark module with the lowest bit of its byte.
        modules = (0..<width * width).map { symbol.pointee.data[$0] & 1 == 1 }
        self.width = width
    }

    public func isDark(row: Int, column: Int) -> Bool {
        modules[row * width + column]
    }
}
