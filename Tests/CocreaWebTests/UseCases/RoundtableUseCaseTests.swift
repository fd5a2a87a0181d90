import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Scheduling a mesa de diálogo under rule D10, without HTTP.
@Suite struct RoundtableUseCaseTests {
    private func distributed(_ app: Application) async throws -> ExerciseContext {
        let fixture = try await Fixture.make(on: app)
        let facilitator = try await fixture.context("facilitator", on: app)
        _ = try await ExerciseOperations.addDossierItem(DossierUseCaseTests.problem, upload: nil, to: facilitator, on: app.useCases)
        _ = try await DossierOperations.distribute(facilitator, on: app.useCases)
        return facilitator
    }

    private func startingIn(days: Double, clock: TestClock) -> RoundtableInput {
        RoundtableInput(
            startsAt: ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(days * 86_400)),
            place: "Sala de juntas del ITEI, Av. Vallarta 1312, Guadalajara")
    }

    @Test(arguments: TestDatabase.all)
    func aTableIsScheduledOnceEveryoneHadTheDossierTenDaysBefore(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let facilitator = try await distributed(app)
            for token in try await DossierUseCaseTests.receiptTokens(on: app).values {
                _ = try await DossierOperations.receive(token: token, on: app.useCases)
            }
            let table = try await RoundtableOperations.schedule(startingIn(days: 14, clock: clock), in: facilitator, on: app.useCases)
            #expect(table.place.hasPrefix("Sala de juntas del ITEI"))
            #expect(try await Delivery.query(on: app.db).filter(\.$kind == "roundtable").count() == 4, "every member is invited to the table")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTableIsRefusedWhileSomeoneHasNotOpenedTheDossier(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let facilitator = try await distributed(app)
            await #expect {
                try await RoundtableOperations.schedule(startingIn(days: 30, clock: clock), in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .dossierWindow) }
            #expect(try await Roundtable.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theConsoleReadsTheTablesAttendanceAndDossier(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let facilitator = try await distributed(app)
            for token in try await DossierUseCaseTests.receiptTokens(on: app).values {
                _ = try await DossierOperations.receive(token: token, on: app.useCases)
            }
            let table = try await RoundtableOperations.schedule(startingIn(days: 14, clock: clock), in: facilitator, on: app.useCases)
            let jorge = try #require(facilitator.member)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                try await Attendance(roundtableID: table.requireID(), memberID: jorge.requireID(), presence: .present, representedBy: nil).create(on: tx)
            }
            let console = try await TableRecordOperations.console(of: table, in: facilitator, on: app.useCases)
            #expect(console.members.count == 4)
            #expect(console.attendance.keys.sorted() == [try jorge.requireID()])
            #expect(console.items.map(\.title) == [DossierUseCaseTests.problem.title])
            #expect(console.interventions.isEmpty)
            await #expect("no minutes before the table closes") {
                try await MinutesOperations.storedPDF(of: table, on: app.useCases)
            } throws: { isRefusal($0, .minutesNotReady) }
        }
    }
}
