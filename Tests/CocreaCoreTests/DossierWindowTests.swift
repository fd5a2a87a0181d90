import CocreaCore
import Foundation
import Testing

/// Rule D10 as domain.md states it, with its own examples.
@Suite struct DossierWindowTests {
    let mexicoCity = TimeZone(identifier: "America/Mexico_City")!

    func instant(_ text: String, in zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test func receivedTuesdayAtMidnightMinusOneSitsFriday() {
        let receipt = instant("2026-12-01 23:59", in: mexicoCity)
        let earliest = DossierWindow.earliestValidDate(receipts: [receipt], timeZone: mexicoCity)
        #expect(earliest == LocalDate(year: 2026, month: 12, day: 11))
        #expect(MexicanFormat.date(earliest!) == "viernes 11 de diciembre de 2026")
    }

    @Test func receivedWednesdayAtMidnightSitsSaturday() {
        let receipt = instant("2026-12-02 00:00", in: mexicoCity)
        #expect(DossierWindow.earliestValidDate(receipts: [receipt], timeZone: mexicoCity) == LocalDate(year: 2026, month: 12, day: 12))
    }

    @Test func tableExactlyTenDaysLaterIsAllowedAtAnyHour() {
        let receipt = instant("2026-12-01 23:59", in: mexicoCity)
        #expect(DossierWindow.allows(startsAt: instant("2026-12-11 00:00", in: mexicoCity), receipts: [receipt], timeZone: mexicoCity))
        #expect(!DossierWindow.allows(startsAt: instant("2026-12-10 23:59", in: mexicoCity), receipts: [receipt], timeZone: mexicoCity))
    }

    @Test func latestReceiptAmongMembersSetsTheDate() {
        let early = instant("2026-11-20 09:00", in: mexicoCity)
        let late = instant("2026-11-25 18:30", in: mexicoCity)
        #expect(DossierWindow.earliestValidDate(receipts: [early, late], timeZone: mexicoCity) == LocalDate(year: 2026, month: 12, day: 5))
    }

    @Test func noDateWhileAnyMemberLacksTheCurrentVersion() {
        let received = instant("2026-11-20 09:00", in: mexicoCity)
        #expect(DossierWindow.earliestValidDate(receipts: [received, nil], timeZone: mexicoCity) == nil)
        #expect(DossierWindow.earliestValidDate(receipts: [], timeZone: mexicoCity) == nil)
    }

    @Test func daysCountInTheExerciseTimeZone() {
        // 2026-12-02 03:30 UTC is still 1 December in Mexico City but already 2 December in UTC.
        let receipt = Date(timeIntervalSince1970: 1_795_000_000)
        let utc = TimeZone(identifier: "UTC")!
        let local = LocalDate(date: receipt, in: mexicoCity)!
        let earliestLocal = DossierWindow.earliestValidDate(receipts: [receipt], timeZone: mexicoCity)!
        let earliestUTC = DossierWindow.earliestValidDate(receipts: [receipt], timeZone: utc)!
        #expect(earliestLocal == local.adding(days: 10))
        #expect(earliestUTC == LocalDate(date: receipt, in: utc)!.adding(days: 10))
    }
}

@Suite struct LocalDateTests {
    @Test func parsesCalendarDatesAndRejectsImpossibleOnes() {
        #expect(LocalDate("2026-02-28") == LocalDate(year: 2026, month: 2, day: 28))
        #expect(LocalDate("2026-02-30") == nil)
        #expect(LocalDate("2026-2-3") == nil)
        #expect(LocalDate("mañana") == nil)
    }

    @Test func addingDaysCrossesMonthsAndYears() {
        #expect(LocalDate(year: 2026, month: 12, day: 25).adding(days: 10) == LocalDate(year: 2027, month: 1, day: 4))
    }
}
