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
import VaporTesting

@testable import CocreaWeb

/// Seguimiento: the sealed PAL reaches every actor by email, with the PDF attached and the
/// verification link, through the outbox — once per person, even when the SMTP server was down.
@Suite struct PlanDistributionTests {
    private func worker(_ app: Application, smtp: SMTPConfiguration) -> OutboxWorker {
        OutboxWorker(
            database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: smtp)),
            logger: Logger(label: "test.outbox"), now: { app.options.now() })
    }

    static func sealedPlan(_ app: Application) async throws -> SigningFlowTests.Setup {
        let setup = try await SigningFlowTests.frozenPlan(app)
        #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
        return setup
    }

    @Test(arguments: TestDatabase.all)
    func everyActorReceivesTheSealedPALOnceEvenAfterTheMailServerWasDown(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.sealedPlan(app)
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(try await lucia.send(.POST, setup.versionPath + "/distribution").status == .forbidden)

            let queued = try await setup.facilitator.send(.POST, setup.versionPath + "/distribution")
            #expect(queued.status == .accepted, "\(queued.body.string)")
            let status = try JSONDecoder.api.decode(PlanDistributionDTO.self, from: queued.body)
            #expect(status.recipients.count == 4)
            #expect(status.recipients.allSatisfy { $0.state == .pending })
            let twice = try await setup.facilitator.send(.POST, setup.versionPath + "/distribution")
            #expect(twice.status == .conflict)
            #expect(twice.body.string.contains("already_distributed"))

            // The mail server is down: nothing is lost, everything waits.
            #expect(await worker(app, smtp: try SMTPConfiguration(url: "smtp://127.0.0.1:9", timeout: 2)).drain() == 4)
            let waiting = try JSONDecoder.api.decode(PlanDistributionDTO.self, from: try await lucia.send(.GET, setup.versionPath + "/distribution").body)
            #expect(waiting.recipients.allSatisfy { $0.state == .pending && $0.attempts == 1 })

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            try await Delivery.query(on: app.db).set(\.$nextAttemptAt, to: Date(timeIntervalSince1970: 0)).update()
            #expect(await worker(app, smtp: try SMTPConfiguration(url: sink.url)).drain() == 4)
            let received = try await sink.waitForMessages(count: 4)
            #expect(received.count == 4)
            #expect(Set(received.flatMap(\.rcptTos)).count == 4, "each actor once")
            let sealedPDF = Data(buffer: try await APIClient(app: app, token: nil).send(.GET, setup.versionPath + "/sealed.pdf").body)
            for mail in received {
                #expect(mail.subject?.hasPrefix("Plan de Acción Local firmado de «Ejercicio local de gobierno abierto Jalisco 2026»") == true)
                #expect(mail.attachments.first?.data == sealedPDF, "the attachment is the sealed file, byte for byte")
                #expect(mail.textBody?.contains("/verify/\(setup.version.id!.uuidString.lowercased())") == true)
            }
            let delivered = try JSONDecoder.api.decode(PlanDistributionDTO.self, from: try await lucia.send(.GET, setup.versionPath + "/distribution").body)
            #expect(delivered.recipients.allSatisfy { $0.state == .sent })
            #expect(await worker(app, smtp: try SMTPConfiguration(url: sink.url)).drain() == 0, "never twice")
        }
    }

    @Test func thePALIsSentOnlyOnceItIsSealed() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let early = try await setup.facilitator.send(.POST, setup.versionPath + "/distribution")
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("not_sealed"))
            #expect(try await Delivery.query(on: app.db).filter(\.$kind == "sealedPlan").count() == 0)
        }
    }

    @Test func facilitatorSendsThePALFromThePlanPageAndSeesEachRecipient() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.sealedPlan(app)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password)
            let plan = "/exercises/\(setup.fixture.exercise.id!)/plan"
            #expect(try await browser.get(plan).body.string.contains("El PAL sellado aún no se ha enviado."))
            let sent = try await browser.post(plan + "/versions/\(setup.version.id!)/distribution", form: [])
            #expect(sent.status == .ok)
            #expect(sent.body.string.contains("El PAL sellado quedó en la bandeja de salida para 4 personas."))
            #expect(sent.body.string.contains("lucia@datosabiertos-gdl.example"))
            #expect(sent.body.string.contains("En la bandeja de salida"))
        }
    }
}
