import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Logging
import SQLKit
import Testing
import Vapor

@testable import CocreaWeb

/// The outbox against a real SMTP server on loopback: retries with backoff, never twice.
@Suite struct OutboxWorkerTests {
    let from = MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local")

    private func worker(
        _ app: Application, smtp: SMTPConfiguration, clock: TestClock, retry: RetryPolicy = RetryPolicy(),
        pollInterval: TimeInterval = 1
    ) -> OutboxWorker {
        var logger = Logger(label: "test.outbox")
        logger.logLevel = .critical
        return OutboxWorker(
            database: { app.db }, writer: app.writer,
            configuration: .init(transport: SMTPTransport(configuration: smtp), retry: retry, pollInterval: pollInterval),
            logger: logger, now: { clock.now })
    }

    /// Runs `body` while the worker runs, and stops it however `body` ends: left running past the test's
    /// app, it would reach for a database that is gone and stop the whole test process.
    @discardableResult
    private func whileRunning<T>(_ outbox: OutboxWorker, _ body: () async throws -> T) async throws -> T {
        await outbox.start()
        let result: T
        do {
            result = try await body()
        } catch {
            await outbox.stop()
            throw error
        }
        await outbox.stop()
        return result
    }

    /// Waits until `condition` holds, ten seconds at most.
    private func eventually(_ what: String, within seconds: TimeInterval = 120, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try await !condition() {
            guard Date() < deadline else {
                Issue.record("still not true after \(seconds) s: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func state(of email: String, on app: Application) async throws -> DeliveryState? {
        try await Delivery.query(on: app.db).filter(\.$toEmail == email).first()?.state
    }

    private func enqueue(_ message: MailMessage, on app: Application, clock: TestClock) async throws {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            try await Outbox.enqueue(message, kind: "test", exerciseID: nil, on: tx, now: clock.now)
        }
    }

    @Test(arguments: TestDatabase.all)
    func planWithPDFAttachmentArrivesOnceAndIsMarkedSent(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let pdf = SimplePDF.document(title: "Plan de Acción Local de Jalisco", lines: ["Versión 1"])
            let message = MailMessage(
                from: from, to: [MailAddress(email: "mf.lopez@salud-jalisco.example", name: "Dra. María Fernanda López Castañeda")],
                subject: "Plan de Acción Local — versión firmada", textBody: "Adjuntamos el PAL firmado.",
                attachments: [MailAttachment(filename: "PAL-Jalisco-2026.pdf", mediaType: "application/pdf", data: pdf)])
            try await enqueue(message, on: app, clock: clock)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: sink.url), clock: clock)
            #expect(await outbox.drain() == 1)
            #expect(await outbox.drain() == 0, "a sent delivery is never sent again")

            let received = try await sink.waitForMessages(count: 1)
            #expect(received.count == 1)
            #expect(received[0].subject == "Plan de Acción Local — versión firmada")
            #expect(received[0].attachments.first?.data == pdf)
            let delivery = try #require(try await Delivery.query(on: app.db).first())
            #expect(delivery.state == .sent)
            #expect(delivery.attempts == 1)
            #expect(delivery.sentAt == clock.now)
        }
    }

    @Test(arguments: TestDatabase.all)
    func temporaryRefusalIsRetriedAfterBackoffAndDeliveredOnce(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start(.init(failFirst: 1))
        defer { sink.stop() }
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            try await enqueue(
                MailMessage(
                    from: from, to: [MailAddress(email: "carlos@observatorio-salud.example")],
                    subject: "Recordatorio: expediente previo", textBody: "Revisa el expediente."), on: app, clock: clock)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: sink.url), clock: clock, retry: RetryPolicy(firstDelay: 30))
            #expect(await outbox.drain() == 1)
            var delivery = try #require(try await Delivery.query(on: app.db).first())
            #expect(delivery.state == .pending)
            #expect(delivery.lastError != nil)
            #expect(delivery.nextAttemptAt == clock.now.addingTimeInterval(30))

            #expect(await outbox.drain() == 0, "not due before its backoff")
            clock.advance(by: 31)
            #expect(await outbox.drain() == 1)
            delivery = try #require(try await Delivery.query(on: app.db).first())
            #expect(delivery.state == .sent)
            #expect(delivery.attempts == 2)
            #expect(try await sink.waitForMessages(count: 1).count == 1)
        }
    }

    @Test func permanentRefusalFailsAndWaitsForAPerson() async throws {
        let sink = try await SMTPSink.start(.init(rejectRecipients: ["no-existe@itei.example"]))
        defer { sink.stop() }
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            try await enqueue(
                MailMessage(
                    from: from, to: [MailAddress(email: "no-existe@itei.example")],
                    subject: "Invitación", textBody: "Hola"), on: app, clock: clock)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: sink.url), clock: clock)
            #expect(await outbox.drain() == 1)
            clock.advance(by: 24 * 3600)
            #expect(await outbox.drain() == 0)
            let delivery = try #require(try await Delivery.query(on: app.db).first())
            #expect(delivery.state == .failed)
            #expect(delivery.attempts == 1)
        }
    }

    @Test func serverDownKeepsMailWaitingUntilItReturns() async throws {
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            try await enqueue(
                MailMessage(
                    from: from, to: [MailAddress(email: "lucia@datosabiertos-gdl.example")],
                    subject: "Expediente previo", textBody: "Hola"), on: app, clock: clock)
            let down = worker(app, smtp: try SMTPConfiguration(url: "smtp://127.0.0.1:9", timeout: 2), clock: clock)
            #expect(await down.drain() == 1)
            #expect(try await Delivery.query(on: app.db).first()?.state == .pending)

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            clock.advance(by: 3600)
            #expect(await worker(app, smtp: try SMTPConfiguration(url: sink.url), clock: clock).drain() == 1)
            #expect(try await sink.waitForMessages(count: 1).count == 1)
            #expect(try await Delivery.query(on: app.db).first()?.state == .sent)
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoWorkersDrainingTogetherSendEachDeliveryExactlyOnce(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            for index in 1...20 {
                try await enqueue(
                    MailMessage(
                        from: from, to: [MailAddress(email: "integrante\(index)@stl.example")],
                        subject: "Aviso \(index)", textBody: "Hola"), on: app, clock: clock)
            }
            let smtp = try SMTPConfiguration(url: sink.url)
            let first = worker(app, smtp: smtp, clock: clock)
            let second = worker(app, smtp: smtp, clock: clock)
            async let a = first.drain()
            async let b = second.drain()
            let total = await a + b
            #expect(total == 20)
            let received = try await sink.waitForMessages(count: 20)
            #expect(received.count == 20)
            #expect(Set(received.compactMap(\.subject)).count == 20, "no message arrived twice")
            #expect(try await Delivery.query(on: app.db).filter(\.$state == .sent).count() == 20)
        }
    }

    @Test func deliveryLeftSendingByADeadWorkerIsMarkedInterruptedNotResent() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            try await enqueue(
                MailMessage(
                    from: from, to: [MailAddress(email: "rosa.ortiz@redmujeres.example")],
                    subject: "Invitación", textBody: "Hola"), on: app, clock: clock)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let delivery = try await Delivery.query(on: tx).first()!
                delivery.state = .sending
                delivery.claimedBy = "worker-que-murio"
                delivery.claimedAt = clock.now
                try await delivery.save(on: tx)
            }
            clock.advance(by: 3600)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: sink.url), clock: clock)
            try await whileRunning(outbox) {
                try await eventually("the abandoned claim is marked interrupted", within: 120) {
                    try await Delivery.query(on: app.db).first()?.state == .interrupted
                }
            }
            #expect(try sink.messages().isEmpty, "and it is not sent again")
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneRecipientWhoseServerNeverAnswersHoldsNoOtherMail(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let slow = "transparencia@municipio-sin-respuesta.example"
        let relay = try StallingSMTPRelay.relay(to: sink, stallingOn: slow)
        defer { relay.stop() }
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            try await enqueue(
                MailMessage(
                    from: from, to: [MailAddress(email: slow)], subject: "Invitación a la mesa de diálogo",
                    textBody: "Hola"), on: app, clock: clock)
            clock.advance(by: 1)
            for index in 1...9 {
                try await enqueue(
                    MailMessage(
                        from: from, to: [MailAddress(email: "integrante\(index)@stl-jalisco.example")],
                        subject: "Expediente previo \(index)", textBody: "Hola"), on: app, clock: clock)
            }
            // Each SMTP reply may take 10 minutes: the one that never comes must not hold the other nine.
            let outbox = worker(app, smtp: try SMTPConfiguration(url: relay.url, timeout: 600), clock: clock, pollInterval: 0.1)
            let received = try await whileRunning(outbox) {
                // Sent one at a time, the nine would wait behind the silent reply, past this wait, however
                // loaded the machine.
                #expect(try await sink.waitForMessages(count: 9, timeout: 300).count == 9)
                #expect(relay.stalled == 1)
                #expect(try await state(of: slow, on: app) == .sending)
                try await eventually("the nine are recorded as sent") { try await Delivery.query(on: app.db).filter(\.$state == .sent).count() == 9 }

                relay.release()
                let received = try await sink.waitForMessages(count: 10, timeout: 120)
                try await eventually("the slow mail is recorded as sent") { try await state(of: slow, on: app) == .sent }
                return received
            }
            #expect(Set(received.compactMap(\.subject)).count == 10, "no message arrived twice")
            #expect(try await Delivery.query(on: app.db).filter(\.$state == .sent).count() == 10)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMailThatLeftWhileTheDatabaseWasAwayIsRecordedSentAndTheWorkerGoesOn(database: TestDatabase) async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let first = "rosa.ortiz@redmujeres.example"
        let relay = try StallingSMTPRelay.relay(to: sink, stallingOn: first)
        defer { relay.stop() }
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            try await enqueue(
                MailMessage(from: from, to: [MailAddress(email: first)], subject: "Invitación", textBody: "Hola"),
                on: app, clock: clock)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: relay.url), clock: clock, pollInterval: 0.1)
            try await whileRunning(outbox) {
                try await eventually("the mail is on its way") { relay.stalled == 1 }

                // The outbox's table goes away (as during a database restart) while the mail is on its way.
                let sql = try #require(app.db as? any SQLDatabase)
                try await app.writer.serialized { try await sql.raw("ALTER TABLE deliveries RENAME TO deliveries_en_mantenimiento").run() }
                relay.release()
                #expect(try await sink.waitForMessages(count: 1, timeout: 120).count == 1)
                try await Task.sleep(for: .seconds(1.5))
                try await app.writer.serialized { try await sql.raw("ALTER TABLE deliveries_en_mantenimiento RENAME TO deliveries").run() }

                // The failed turns while the table was away back the worker off, up to 30 s between turns.
                try await eventually("the mail that left is recorded as sent", within: 120) { try await state(of: first, on: app) == .sent }
                try await enqueue(
                    MailMessage(
                        from: from, to: [MailAddress(email: "carlos@observatorio-salud.example")],
                        subject: "Recordatorio", textBody: "Hola"), on: app, clock: clock)
                #expect(try await sink.waitForMessages(count: 2, timeout: 120).count == 2, "the worker kept going")
                try await eventually("the second mail is recorded as sent") {
                    try await state(of: "carlos@observatorio-salud.example", on: app) == .sent
                }
            }
            #expect(try await Delivery.query(on: app.db).filter(\.$toEmail == first).first()?.attempts == 1, "sent once")
        }
    }

    @Test func stopReturnsWithinItsBoundWhileTheServerNeverAnswers() async throws {
        let silent = try StallingSMTPRelay.silent()
        defer { silent.stop() }
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            let email = "lucia@datosabiertos-gdl.example"
            try await enqueue(
                MailMessage(from: from, to: [MailAddress(email: email)], subject: "Expediente previo", textBody: "Hola"),
                on: app, clock: clock)
            let outbox = worker(app, smtp: try SMTPConfiguration(url: silent.url, timeout: 600), clock: clock, pollInterval: 0.1)
            await outbox.start()
            try await eventually("the mail is being sent") { try await state(of: email, on: app) == .sending }
            let started = Date()
            await outbox.stop(within: 1)
            // Unbounded, stop would wait for the SMTP reply's 10-minute timeout.
            #expect(Date().timeIntervalSince(started) < 300, "stop waited \(Date().timeIntervalSince(started)) s")
            #expect(try await state(of: email, on: app) == .sending, "it may or may not have gone: never marked sent")
        }
    }
}
