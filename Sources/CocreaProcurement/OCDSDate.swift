import Foundation

/// OCDS dates are RFC 3339 date-times ("2026-03-01T09:30:00-06:00", "2026-03-01T15:30:00.250Z").
/// Parsed by hand: Foundation's ISO 8601 parsers differ between platforms on offsets and fractions.
enum OCDSDate {
    static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard scalars[index] >= 0x30, scalars[index] <= 0x39 else { return nil }
                value = value * 10 + Int(scalars[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), scalars[4] == UInt8(ascii: "-"), let month = number(5..<7), scalars[7] == UInt8(ascii: "-"),
            let day = number(8..<10), scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: "t"),
            let hour = number(11..<13), scalars[13] == UInt8(ascii: ":"), let minute = number(14..<16),
            scalars[16] == UInt8(ascii: ":"), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var cursor = 19
        var fraction = 0.0
        if scalars[cursor] == UInt8(ascii: ".") {
            var scale = 0.1
            cursor += 1
            let start = cursor
            while cursor < scalars.count, scalars[cursor] >= 0x30, scalars[cursor] <= 0x39 {
                fraction += Double(scalars[cursor] - 0x30) * scale
                scale /= 10
                cursor += 1
            }
            guard cursor > start else { return nil }
        }
        guard cursor < scalars.count else { return nil }
        let offsetSeconds: Int
        switch scalars[cursor] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard cursor + 1 == scalars.count else { return nil }
            offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard cursor + 6 == scalars.count, let hours = number((cursor + 1)..<(cursor + 3)), scalars[cursor + 3] == UInt8(ascii: ":"),
                let minutes = number((cursor + 4)..<(cursor + 6)), hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (scalars[cursor] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        // An impossible day (2026-02-30) would roll over into the next month: refuse it instead.
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}
