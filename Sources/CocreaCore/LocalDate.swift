import Foundation

/// A calendar date as people write it (`YYYY-MM-DD`), with no time and no zone.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
        guard let roundTrip = LocalDate(date: startOfDay(in: .gmt), in: .gmt), roundTrip == self else { return nil }
    }

    /// The local date of an instant in a time zone.
    public init?(date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The first instant of this date in a time zone.
    public func startOfDay(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components)!
    }

    public func adding(days: Int) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let moved = calendar.date(byAdding: .day, value: days, to: startOfDay(in: .gmt))!
        return LocalDate(date: moved, in: .gmt)!
    }

    /// Whole days from this date to another (negative when the other is earlier).
    public func days(until other: LocalDate) -> Int {
        Int((other.startOfDay(in: .gmt).timeIntervalSince(startOfDay(in: .gmt)) / 86_400).rounded())
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw CocreaError.invalidBody("bodyDateInvalid", at: decoder.codingPath, ["value": .text(text)])
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Dates and times as people in Mexico read them: "martes 1 de diciembre de 2026, 23:59".
public enum MexicanFormat {
    private static let weekdays = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"]
    private static let months = [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ]

    public static func date(_ date: LocalDate) -> String {
        let weekday = weekdays[weekdayIndex(date)]
        return "\(weekday) \(date.day) de \(months[date.month - 1]) de \(date.year)"
    }

    public static func dateTime(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let local = LocalDate(year: c.year!, month: c.month!, day: c.day!)
        return "\(date(local)), \(String(format: "%02d:%02d", c.hour!, c.minute!))"
    }

    /// The compact form for tables and boxes: "01/12/2026".
    public static func numeric(_ date: LocalDate) -> String {
        String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
    }

    /// "01/12/2026 23:59", in the exercise's time zone.
    public static func numeric(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return "\(numeric(LocalDate(year: c.year!, month: c.month!, day: c.day!))) \(String(format: "%02d:%02d", c.hour!, c.minute!))"
    }

    /// "marzo de 2027" and "mar 2027" for a month written "2027-03" (nil for anything else).
    public static func month(_ text: String) -> (long: String, short: String)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let name = months[month - 1]
        return ("\(name) de \(year)", "\(name.prefix(3)) \(year)")
    }

    /// "850 bytes", "120 KB", "3.4 MB" (Mexico writes the decimal point as a point).
    public static func fileSize(_ bytes: Int) -> String {
        switch bytes {
        case ..<1024: "\(bytes) bytes"
        case ..<1_048_576: "\((bytes + 1023) / 1024) KB"
        default: String(format: "%.1f MB", Double(bytes) / 1_048_576)
        }
    }

    private static func weekdayIndex(_ date: LocalDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.component(.weekday, from: date.startOfDay(in: .gmt)) - 1
    }
}
