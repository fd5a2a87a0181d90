import Foundation

/// Rule D10: every invited member must have received the current dossier version at least ten
/// calendar days (in the exercise's time zone) before the table. Received on local day R → may sit
/// at a table held on local day R + 10 or later.
public enum DossierWindow {
    public static let minimumDays = 10

    /// The earliest local date a table may be held, or nil while someone lacks the current version.
    /// - Parameter receipts: for each invited member, when they received the current version (nil: not yet).
    public static func earliestValidDate(receipts: [Date?], timeZone: TimeZone) -> LocalDate? {
        guard !receipts.isEmpty else { return nil }
        var latest: LocalDate?
        for receipt in receipts {
            guard let receipt, let day = LocalDate(date: receipt, in: timeZone) else { return nil }
            latest = max(latest ?? day, day)
        }
        return latest?.adding(days: minimumDays)
    }
}
