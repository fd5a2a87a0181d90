import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Logging
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// The public pages' cache is emptied by changes to what they show, not by the outbox's bookkeeping:
/// an idle outbox writes nothing, a mail that goes out keeps the cache, an edit of the plan empties it.
@Suite struct PublicCacheWriteTests {
    @Test(arguments: TestDatabase.all)
    func theOutboxKeepsThePublicCacheAndACommitmentEditEmptiesIt(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await withCocrea(database) { app in
            // Served from the cache for as long as the test takes on a loaded machine, not for 5 s.
            app.storage[PublicCacheKey.self] = PublicCache(lifetime: 3600)
            let setup = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let exercise = setup.fixture.exercise
            let path = "/public/exercises/\(exercise.id!)"
            var logger = Logger(label: "test.outbox")
            logger.logLevel = .critical
            let outbox = OutboxWorker(
                database: { app.db }, writer: app.writer,
                configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url)), pollInterval: 0.05),
                logger: logger, now: app.options.now)
            _ = await outbox.drain()
            let mailed = try await sink.messages().count

            #expect(try await Browser(app: app).get(path).body.string.contains(exercise.name))
            // A change the writer does not see (as another process's would): only a rebuilt page shows it.
            let renamed = "Plan de Acción Local de Jalisco (nombre corregido)"
            try await Exercise.query(on: app.db).filter(\.$id == exercise.id!).set(\.$name, to: renamed).update()
            let generation = app.writer.generation

            await outbox.start()
            try await Task.sleep(for: .seconds(1.5))
            #expect(app.writer.generation == generation, "an idle outbox writes nothing")
            #expect(!(try await Browser(app: app).get(path).body.string.contains(renamed)), "the page comes from the cache")

            try await app.writer.write(on: app.db, actor: .system, touchesPublicPages: false) { tx, _ in
                try await Outbox.enqueue(
                    MailMessage(
                        from: app.options.mailFrom, to: [MailAddress(email: "lucia@datosabiertos-gdl.example")],
                        subject: "Recordatorio: avance del plan", textBody: "Revisa el avance de tus actividades."),
                    kind: "test", exerciseID: exercise.id, on: tx, now: app.options.now())
            }
            #expect(try await sink.waitForMessages(count: mailed + 1).count == mailed + 1)
            await outbox.stop()
            #expect(try await Delivery.query(on: app.db).filter(\.$state == .sent).count() == mailed + 1)
            #expect(app.writer.generation == generation, "a delivery's state is no public page's")
            #expect(!(try await Browser(app: app).get(path).body.string.contains(renamed)), "the page still comes from the cache")

            let commitment = try #require(try await Commitment.query(on: app.db).filter(\.$category == .procurement).first())
            let edited = try await setup.facilitator.send(
                .PUT, "/api/v1/commitments/\(commitment.id!)",
                json: """
                    {"title": "Contrataciones abiertas de salud y educación", "category": "procurement", "problem": "Recetas no surtidas",
                     "objective": "Surtir el 95 % de las recetas", "startsOn": "2027-01-15", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco",
                     "indicator": {"name": "Porcentaje publicado", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal de datos abiertos"},
                     "revision": \(commitment.revision)}
                    """)
            #expect(edited.status == .ok, "\(edited.body.string)")
            #expect(try await Browser(app: app).get(path).body.string.contains(renamed), "an edit of the plan empties the cache")
        }
    }
}
