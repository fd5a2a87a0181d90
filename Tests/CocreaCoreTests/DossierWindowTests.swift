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

    func member(_ name: String, version: Int?, at received: String?) -> DossierReadiness.MemberReceipt {
        .init(memberID: UUID(), name: name, receivedVersion: version, receivedAt: received.map { instant($0, in: mexicoCity) })
    }

    func refusal(_ readiness: DossierReadiness, startsAt: String) -> CocreaError? {
        do {
            try readiness.check(startsAt: instant(startsAt, in: mexicoCity), timeZone: mexicoCity)
            return nil
        } catch {
            return error
        }
    }

    @Test func tableExactlyTenDaysLaterIsAllowedAtAnyHour() throws {
        let readiness = DossierReadiness(
            currentVersion: 1, receipts: [member("Lucía Hernández Paredes", version: 1, at: "2026-12-01 23:59")],
            timeZone: mexicoCity)
        #expect(refusal(readiness, startsAt: "2026-12-11 00:00") == nil)
        let early = try #require(refusal(readiness, startsAt: "2026-12-10 23:59"))
        #expect(early.kind == .invalid)
        #expect(early.code == "dossier_window")
        #expect(
            early.message
                == "La mesa no puede celebrarse antes del viernes 11 de diciembre de 2026: todas las personas deben contar con el expediente al menos 10 días antes."
        )
        guard case .string("2026-12-11") = early.facts["earliestValidDate"] else {
            Issue.record("the refusal names the earliest valid date as a fact")
            return
        }
    }

    @Test func whoeverLacksTheCurrentVersionHoldsTheTableBackByName() throws {
        let lucia = member("Lucía Hernández Paredes", version: 2, at: "2026-11-20 09:00")
        let jorge = member("Jorge Ramírez Soto", version: 1, at: "2026-11-10 12:00")
        let readiness = DossierReadiness(currentVersion: 2, receipts: [lucia, jorge], timeZone: mexicoCity)
        #expect(readiness.earliestValidDate == nil)
        #expect(readiness.holdingBack == [jorge])
        let refused = try #require(refusal(readiness, startsAt: "2027-01-15 10:00"))
        #expect(
            refused.message
                == "Aún no reciben la versión 2 del expediente: Jorge Ramírez Soto. La mesa podrá celebrarse 10 días después de que la última persona lo reciba."
        )
        guard case .strings(let holding) = refused.facts["holdingBack"], case .null = refused.facts["earliestValidDate"] else {
            Issue.record("the refusal lists who holds the table back and no date")
            return
        }
        #expect(holding == [jorge.memberID.uuidString])
    }

    @Test func aDossierChangedSinceItWasSentAllowsNoTable() throws {
        let readiness = DossierReadiness(
            currentVersion: nil, receipts: [member("Lucía Hernández Paredes", version: 1, at: "2026-11-01 09:00")],
            timeZone: mexicoCity)
        let refused = try #require(refusal(readiness, startsAt: "2027-06-01 10:00"))
        #expect(refused.message.hasPrefix("El expediente previo tiene cambios sin enviar (o nunca se envió)"))
        #expect(readiness.members.allSatisfy { !$0.current })
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
