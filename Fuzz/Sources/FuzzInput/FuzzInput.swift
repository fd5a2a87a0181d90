/// One fuzz input read as several fields: the bytes between NUL separators, in order; a field that
/// is asked for but absent is empty. libFuzzer's mutations then reach every field independently.
public struct FuzzInput {
    public let bytes: [UInt8]
    private var fields: [ArraySlice<UInt8>]
    private var next = 0

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        fields = bytes.split(separator: 0, omittingEmptySubsequences: false)
    }

    /// The next field as bytes.
    public mutating func field() -> [UInt8] {
        defer { next += 1 }
        return next < fields.count ? Array(fields[next]) : []
    }

    /// The next field as text (invalid UTF-8 repaired, as a web form's decoder would).
    public mutating func text() -> String {
        String(decoding: field(), as: UTF8.self)
    }

    /// Every field not read yet, as text.
    public mutating func remainingTexts() -> [String] {
        var texts: [String] = []
        while next < fields.count { texts.append(text()) }
        return texts
    }

    /// Stops the run with a message naming the broken rule: libFuzzer keeps the input as a crash.
    public static func violated(_ rule: String, _ detail: @autoclosure () -> String = "") -> Never {
        fatalError("rule broken: \(rule) \(detail())")
    }
}
