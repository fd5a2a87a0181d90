import CocreaCore
import Foundation
import Testing

/// Conformity is stated by those present (in person or represented) at the latest table whose attendance was taken.
@Suite struct ConformityEligibilityTests {
    let lucia = UUID()  // Lucía Hernández Paredes, sociedad civil
    let jorge = UUID()  // Jorge Ramírez Soto, institución pública
    let marisol = UUID()  // Marisol Cervantes Ochoa, organismo garante

    let firstTable = Date(timeIntervalSince1970: 1_796_000_000)  // the first mesa, in February 2027
    var secondTable: Date { firstTable.addingTimeInterval(14 * 24 * 60 * 60) }

    func refuses(_ member: UUID, _ tables: [ConformityEligibility.Table]) -> Bool {
        do {
            try ConformityEligibility.check(member, tables: tables)
            return false
        } catch {
            return error.code == ErrorCode.notPresent.rawValue
        }
    }

    @Test func onlyThoseAtTheLatestMesaStateConformity() {
        let tables = [
            ConformityEligibility.Table(startsAt: firstTable, attendance: [lucia: .present, jorge: .present, marisol: .present]),
            ConformityEligibility.Table(startsAt: secondTable, attendance: [lucia: .present, jorge: .absent]),
        ]
        #expect(!refuses(lucia, tables))
        #expect(refuses(jorge, tables))
        #expect(refuses(marisol, tables), "present at an earlier mesa, not recorded at the latest")
    }

    @Test func aRepresentedMemberStatesConformity() {
        #expect(!refuses(jorge, [.init(startsAt: firstTable, attendance: [lucia: .present, jorge: .represented])]))
    }

    @Test func aLaterMesaWithoutAttendanceDoesNotCount() {
        let tables = [
            ConformityEligibility.Table(startsAt: secondTable, attendance: [:]),
            ConformityEligibility.Table(startsAt: firstTable, attendance: [lucia: .absent, jorge: .present]),
        ]
        #expect(refuses(lucia, tables))
        #expect(!refuses(jorge, tables))
    }

    @Test func beforeAnyAttendanceEveryMemberStatesConformity() {
        #expect(!refuses(marisol, []))
        #expect(!refuses(marisol, [.init(startsAt: firstTable, attendance: [:])]))
    }
}
