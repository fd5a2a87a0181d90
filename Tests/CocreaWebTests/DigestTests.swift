import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Logging
import Testing
import Vapor

@testable import CocreaWeb

/// The weekly digest through the outbox and a real SMTP server: one per person and week, never empty.
@Suite struct DigestTests {
    @Test(arguments: TestDatabase.all)
    func eachPersonGetsOneDigestAWeekWithWhatIsOverdueAndComingUp(database: TestDatabase) async throws {
        // Thursday 25 March 2027, 09:00 in Guadalajara; the fixture's activities are due on 31 March.
        let clock = TestClock(ISO8601DateFormatter().date(from: "2027-03-25T15:00:00Z")!)
        try await withCocrea(database, clock: clock) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            #expect(
                try await DigestOperations.sendWeekly(on: app.useCases, at: clock.now) == .init(week: "2027-W12", queued: 1, alreadySent: 0),
                "only Jorge is responsible for anything")

            let commitment = try #require(try await Commitment.query(on: app.db).filter(\.$title == "Sistema Estatal de Cuidados").first())
            func add(_ title: String, responsible: String, due: String, progress: Int = 0) async throws {
                try await Fixture.activity(
                    title, of: commitment.requireID(), responsible: responsible, responsibleInstitution: "Gobierno de Jalisco", dueOn: due,
                    status: progress == 100 ? .completed : .inProgress, progress: progress, on: app.db)
            }
            try await add("Foro con cuidadoras", responsible: "Lucía Hernández Paredes", due: "2027-03-01")
            try await add("Padrón de estancias", responsible: "Lucía Hernández Paredes", due: "2027-02-01", progress: 100)
            try await add("Convenio con municipios", responsible: "Coordinación de Planeación", due: "2027-04-05")
            try await add("Informe de cierre", responsible: "Dra. María Fernanda López Castañeda", due: "2027-11-30")

            #expect(
                try await DigestOperations.sendWeekly(on: app.useCases, at: clock.now) == .init(week: "2027-W12", queued: 1, alreadySent: 1),
                "Lucía's is new; Jorge already had his; María Fernanda has nothing due soon")
            clock.advance(by: 7 * 86_400)
            #expect(try await DigestOperations.sendWeekly(on: app.useCases, at: clock.now).queued == 2, "a new week")

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { clock.now })
            #expect(await worker.drain() == 4)
            let received = try await sink.waitForMessages(count: 4)
            let lucia = setup.fixture.members["civilSociety"]!.email
            let jorge = setup.fixture.members["facilitator"]!.email
            #expect(received.map { $0.rcptTos.first ?? "" }.sorted() == [jorge, jorge, lucia, lucia].sorted())
            // The worker may hand both weeks' mail to the server in either order: tell them apart by their text.
            let luciaDigests = received.filter { $0.rcptTos == [lucia] }
            #expect(luciaDigests.map(\.subject) == ["Resumen semanal: 1 actividad vencida", "Resumen semanal: 1 actividad vencida"])
            let luciaTexts = luciaDigests.map { $0.textBody ?? "" }
            #expect(luciaTexts.filter { $0.contains("01/03/2027 (hace 24 días)") }.count == 1, "the first week's")
            #expect(luciaTexts.filter { $0.contains("01/03/2027 (hace 31 días)") }.count == 1, "a week later")
            #expect(
                luciaTexts.allSatisfy { $0.contains("Foro con cuidadoras") && !$0.contains("Padrón de estancias") },
                "finished work is not mentioned")
            let jorgeLatest = try #require(received.first { $0.rcptTos == [jorge] && ($0.textBody ?? "").contains("Convenio con municipios") })
            #expect(jorgeLatest.subject == "Resumen semanal: 5 actividades vencidas y 1 próxima")
            #expect(jorgeLatest.textBody?.contains("«Coordinación de Planeación» no tiene cuenta en Cocrea") == true)
            #expect(jorgeLatest.textBody?.contains("/exercises/\(setup.fixture.exercise.id!.uuidString.lowercased())/plan") == true)
            #expect(try await DigestSend.query(on: app.db).count() == 4)
        }
    }

    @Test func theServerSendsFromMondayEightInTheMorningInMexicoCity() {
        let instant = ISO8601DateFormatter()
        #expect(!DigestOperations.isDigestDue(at: instant.date(from: "2027-03-29T13:59:00Z")!), "Monday 07:59 in Mexico City")
        #expect(DigestOperations.isDigestDue(at: instant.date(from: "2027-03-29T14:00:00Z")!), "Monday 08:00")
        #expect(DigestOperations.isDigestDue(at: instant.date(from: "2027-04-01T03:00:00Z")!), "Wednesday night, after a server was down")
        #expect(!DigestOperations.isDigestDue(at: instant.date(from: "2027-04-04T18:00:00Z")!), "Sunday: the next digest is a day away")
    }
}
