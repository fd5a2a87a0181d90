import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Traceability and following, without HTTP: where each commitment came from, and the mail of the
/// people who follow it — only once confirmed, at most once a day, never empty.
@Suite struct FollowerUseCaseTests {
    static let neighbour = "sofia.hernandez.vecina@correo.example"

    /// The secret of the first `/public/followers/{token}/{action}` link in a mail.
    static func token(_ action: String, in text: String) throws -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "")
        let range = try #require(joined.range(of: #"/public/followers/[A-Za-z0-9_\-]+/"# + action, options: .regularExpression))
        return String(joined[range].dropFirst("/public/followers/".count).dropLast(action.count + 1))
    }

    static func commitment(_ title: String, on app: Application) async throws -> Commitment {
        try #require(try await Commitment.query(on: app.db).filter(\.$title == title).with(\.$activities).first())
    }

    @Test(arguments: TestDatabase.all)
    func everyCommitmentTellsWhereItCameFromAndThePublicReadsOnlyWhatIsPublic(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let signing = try await SigningFlowTests.frozenPlan(app)
            let setup = try await ProposalTests.published(app, fixture: signing.fixture)
            let stl = try await setup.fixture.context("facilitator", on: app)
            let commitments = try await CommitmentOperations.list(setup.exerciseID, on: app.db)
            let inventory = try #require(commitments.first { $0.title == "Inventario mensual de medicamentos" })
            let care = try #require(commitments.first { $0.title == "Sistema Estatal de Cuidados" })
            let procurement = try #require(commitments.first { $0.title == "Contrataciones abiertas de la Secretaría de Salud" })

            var proposals: [UUID] = []
            for problem in ["Las recetas del centro de salud de Tlaquepaque se surten incompletas", "Faltan ambulancias en Los Altos"] {
                let receipt = try await ProposalOperations.submit(
                    ProposalInput(problem: problem, solution: "Publicar el inventario de cada unidad médica"), to: setup.exerciseID,
                    client: "203.0.113.\(proposals.count + 7)", on: app.useCases)
                _ = try await ProposalOperations.moderate(receipt.id, ModerationInput(action: "publish"), in: stl, on: app.useCases)
                proposals.append(receipt.id)
                clock.advance(by: 60)
            }
            _ = try await ProposalOperations.respond(
                proposals[0],
                ProposalResponseInput(
                    outcome: "incorporated", reason: "Se incorpora como el inventario mensual de medicamentos.",
                    commitmentIds: [inventory.id!.uuidString]),
                in: stl, on: app.useCases)
            let answerable = try await ProposalOperations.commitments(of: setup.exerciseID, on: app.useCases).map(\.title)
            #expect(Set(answerable) == Set(commitments.map(\.title)), "a response may name any of the exercise's commitments")
            #expect(answerable == answerable.sorted(), "by title")
            _ = try await ProposalOperations.respond(
                proposals[1], ProposalResponseInput(outcome: "notIncorporated", reason: "Las ambulancias dependen del estado."), in: stl,
                on: app.useCases)

            // What civil society said about the dossier problem: at a closed table, at one still to close, and feedback.
            let member = try #require(try await Member.query(on: app.db).filter(\.$email == setup.fixture.members["civilSociety"]!.email).first())
            let closed = Roundtable(exerciseID: setup.exerciseID, startsAt: app.options.now(), place: "Sala de cabildo de Guadalajara")
            closed.stage = .closed
            let upcoming = Roundtable(exerciseID: setup.exerciseID, startsAt: app.options.now().addingTimeInterval(86_400), place: "Biblioteca Iberoamericana")
            for table in [closed, upcoming] { try await table.create(on: app.db) }
            let item = try #require(inventory.dossierItemId)
            for (table, kind, text) in [
                (closed, InterventionKind.doubt, "¿Quién publica el inventario de los centros de salud rurales?"),
                (upcoming, .contribution, "El IMSS-Bienestar ya tiene un tablero de abasto"),
                (closed, .feedback, "La sesión empezó a tiempo"),
            ] {
                try await Intervention(roundtableID: table.id!, memberID: member.id!, dossierItemID: item, kind: kind, text: text, recordedByUserID: nil)
                    .create(on: app.db)
            }

            let workspace = try await CommitmentOrigins.origins(of: commitments, in: setup.exerciseID, for: .workspace, on: app.db)
            let traced = try #require(workspace[inventory.id!])
            #expect(traced.proposals.map(\.id) == [proposals[0]] && traced.proposals.map(\.number) == [1])
            #expect(traced.proposals.first?.reason == "Se incorpora como el inventario mensual de medicamentos.")
            #expect(traced.dossierItem?.title == "Desabasto de medicamentos" && traced.dossierItem?.kind == .problem)
            #expect(Set(traced.interventions.map(\.kind)) == [.doubt, .contribution], "feedback on the session is no origin")
            #expect(traced.interventions.allSatisfy { $0.sector == .civilSociety })
            #expect(workspace[care.id!]?.nationalCommitment?.plan == "2016-2018")
            #expect(workspace[procurement.id!]?.isEmpty == true)

            let everyone = try await PublicCommitmentOperations.read(inventory.id, on: app.useCases)
            #expect(everyone.origin.proposals.map(\.id) == [proposals[0]])
            #expect(
                everyone.origin.interventions.map(\.text) == ["¿Quién publica el inventario de los centros de salud rurales?"], "only closed tables' minutes")
            #expect(everyone.progress == nil, "no progress before the plan is sealed")
            let (_, zone) = try await PublicCommitmentOperations.readWithZone(inventory.id, on: app.useCases)
            #expect(zone == setup.fixture.exercise.zone)
            #expect(try await PublicCommitmentOperations.zone(of: inventory.id!, on: app.useCases) == zone)

            // A problem kept «solo STL» is named to the public by its kind alone, and nothing said about it is shown.
            let stored = try #require(try await DossierItem.find(item, on: app.db))
            stored.visibility = .stlOnly
            try await stored.save(on: app.db)
            let reserved = try await PublicCommitmentOperations.read(inventory.id, on: app.useCases).origin
            #expect(reserved.dossierItem?.kind == .problem && reserved.dossierItem?.title == nil && reserved.dossierItem?.id == nil)
            #expect(reserved.interventions.isEmpty && reserved.proposals.count == 1)

            await #expect { try await PublicCommitmentOperations.read(UUID(), on: app.useCases) } throws: { isRefusal($0, .notFound) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFollowerIsMailedOnlyOnceConfirmedAtMostOnceADayAndNeverAnEmptyMail(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let signing = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(signing).status == .ok)
            let commitment = try await Self.commitment("Inventario mensual de medicamentos", on: app)
            let institution = APIClient(app: app, token: signing.fixture.members["institution"]!.token)
            func report(_ progress: Int, _ note: String) async throws {
                let sent = try await institution.send(
                    .POST, "/api/v1/activities/\(commitment.activities[0].id!)/progress",
                    json: #"{"status": "inProgress", "progress": \#(progress), "note": "\#(note)"}"#)
                #expect(sent.status == .created)
                clock.advance(by: 60)
            }

            await #expect {
                try await FollowerOperations.follow(FollowInput(email: "sofia@"), commitment: commitment.id, client: "198.51.100.4", on: app.useCases)
            } throws: { isRefusal($0, .validationFailed) }
            await #expect {
                try await FollowerOperations.follow(FollowInput(email: Self.neighbour), commitment: UUID(), client: "198.51.100.4", on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0, "a refused request stores nothing")

            _ = try await FollowerOperations.follow(FollowInput(email: Self.neighbour), commitment: commitment.id, client: "198.51.100.4", on: app.useCases)
            try await report(20, "Primer corte del inventario")
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).queued == 0, "nothing until the address is confirmed")

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { clock.now })
            #expect(await worker.drain() == 1)
            let confirmation = try #require(try await sink.waitForMessages(count: 1).first)
            #expect(confirmation.rcptTos == [Self.neighbour] && confirmation.subject == "Confirma que quieres seguir un compromiso del plan")
            let confirmed = try await FollowerOperations.confirm(try Self.token("confirm", in: confirmation.textBody ?? ""), on: app.useCases)
            #expect(confirmed.confirmed && confirmed.commitmentTitle == "Inventario mensual de medicamentos")
            clock.advance(by: 60)

            try await report(40, "Inventario de 12 unidades médicas publicado")
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 1, waiting: 0, expired: 0))
            try await report(60, "Inventario de 20 unidades médicas publicado")
            #expect(
                try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 0, waiting: 1, expired: 0),
                "the second report of the day waits for tomorrow")
            clock.advance(by: 24 * 3600)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).queued == 1)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 0, waiting: 0, expired: 0), "never an empty mail")
            clock.advance(by: 24 * 3600)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).queued == 0, "a day without reports sends nothing")

            #expect(await worker.drain() == 2)
            let news = try await sink.waitForMessages(count: 3).filter { $0.subject == "Avances del compromiso «Inventario mensual de medicamentos»" }
            let texts = news.map { ($0.textBody ?? "").replacingOccurrences(of: "=\r\n", with: "") }
            #expect(news.count == 2 && news.allSatisfy { $0.rcptTos == [Self.neighbour] })
            #expect(texts.filter { $0.contains("Inventario de 12 unidades médicas publicado") }.count == 1)
            #expect(texts.filter { $0.contains("Inventario de 20 unidades médicas publicado") }.count == 1)
            #expect(texts.allSatisfy { !$0.contains("Primer corte del inventario") }, "what came before the confirmation is not news")
            #expect(texts.allSatisfy { $0.contains("/unsubscribe") })

            let gone = try await FollowerOperations.unsubscribe(try Self.token("unsubscribe", in: news[0].textBody ?? ""), on: app.useCases)
            #expect(gone.commitmentId == commitment.id)
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0, "unsubscribing forgets the address")
            try await report(80, "Inventario de 30 unidades médicas publicado")
            clock.advance(by: 24 * 3600)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).queued == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func civilSocietysVerdictOnAReportIsToldInTheNextMailOnlyOnce(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let signing = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(signing).status == .ok)
            let commitment = try await Self.commitment("Inventario mensual de medicamentos", on: app)
            let institution = APIClient(app: app, token: signing.fixture.members["institution"]!.token)
            let lucia = APIClient(app: app, token: signing.fixture.members["civilSociety"]!.token)
            _ = try await FollowerOperations.follow(FollowInput(email: Self.neighbour), commitment: commitment.id, client: "198.51.100.4", on: app.useCases)
            let request = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "followConfirmation").first())
            _ = try await FollowerOperations.confirm(try Self.token("confirm", in: String(decoding: request.message, as: UTF8.self)), on: app.useCases)
            clock.advance(by: 60)

            let reported = try await institution.send(
                .POST, "/api/v1/activities/\(commitment.activities[0].id!)/progress",
                json: #"{"status": "inProgress", "progress": 40, "note": "Inventario de 12 unidades médicas publicado"}"#)
            #expect(reported.status == .created)
            let report = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: reported.body)
            clock.advance(by: 60)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 1, waiting: 0, expired: 0))

            clock.advance(by: 600)
            let verdict = try await lucia.send(
                .POST, "/api/v1/activity-updates/\(report.id)/verification",
                json: #"{"verdict": "verified", "reason": "Revisamos el inventario publicado de las 12 unidades"}"#)
            #expect(verdict.status == .ok)
            #expect(
                try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 0, waiting: 1, expired: 0),
                "the day's mail already went: the verdict waits for tomorrow")
            clock.advance(by: 24 * 3600)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 1, waiting: 0, expired: 0))
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now) == .init(queued: 0, waiting: 0, expired: 0), "never twice")
            clock.advance(by: 24 * 3600)
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).queued == 0, "a verdict is told once")

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { clock.now })
            #expect(await worker.drain() == 3)
            let news = try await sink.waitForMessages(count: 3).filter { $0.subject == "Avances del compromiso «Inventario mensual de medicamentos»" }
            let texts = news.map { ($0.textBody ?? "").replacingOccurrences(of: "=\r\n", with: "") }
            #expect(news.count == 2 && news.allSatisfy { $0.rcptTos == [Self.neighbour] })
            let told = try #require(texts.first { $0.contains("verificó el reporte") })
            #expect(told.contains("la sociedad civil (Lucía Hernández Paredes"))
            #expect(told.contains("Revisamos el inventario publicado de las 12 unidades"))
            #expect(texts.filter { $0.contains("verificó") }.count == 1, "the report's own mail came before the verdict")
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAddressLeftUnconfirmedForAWeekExpiresAndIsDeleted(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let signing = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(signing).status == .ok)
            let commitment = try await Self.commitment("Tablero de abasto por unidad médica", on: app)
            let receipt = try await FollowerOperations.follow(
                FollowInput(email: Self.neighbour), commitment: commitment.id, client: "198.51.100.9", on: app.useCases)
            #expect(receipt.confirmBy == clock.now.addingTimeInterval(7 * 24 * 3600))
            let mail = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "followConfirmation").first())
            let token = try Self.token("confirm", in: String(decoding: mail.message, as: UTF8.self))

            clock.advance(by: 7 * 24 * 3600 + 60)
            await #expect { try await FollowerOperations.confirm(token, on: app.useCases) } throws: { isRefusal($0, .linkExpired) }
            #expect(try await FollowerOperations.sendDaily(on: app.useCases, at: clock.now).expired == 1)
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0)
            await #expect { try await FollowerOperations.confirm(token, on: app.useCases) } throws: { isRefusal($0, .notFound) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aProposerWhoseProposalBecameTheCommitmentFollowsItOnceConfirmed(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let signing = try await SigningFlowTests.frozenPlan(app)
            let setup = try await ProposalTests.published(app, fixture: signing.fixture)
            let stl = try await setup.fixture.context("facilitator", on: app)
            let inventory = try await Self.commitment("Inventario mensual de medicamentos", on: app)
            let receipt = try await ProposalOperations.submit(
                ProposalInput(problem: "Las recetas se surten incompletas", solution: "Publicar el inventario", email: ProposalTests.proposerEmail),
                to: setup.exerciseID, client: "203.0.113.20", on: app.useCases)
            _ = try await ProposalOperations.moderate(receipt.id, ModerationInput(action: "publish"), in: stl, on: app.useCases)
            _ = try await ProposalOperations.respond(
                receipt.id, ProposalResponseInput(outcome: "incorporated", reason: "Es el inventario mensual.", commitmentIds: [inventory.id!.uuidString]),
                in: stl, on: app.useCases)
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0, "an address not yet confirmed follows nothing")

            let mail = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "proposalConfirmation").first())
            let text = String(decoding: mail.message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
            let link = try #require(text.range(of: #"/public/proposals/confirm/[A-Za-z0-9_\-]+"#, options: .regularExpression))
            _ = try await ProposalOperations.confirm(String(text[link].dropFirst("/public/proposals/confirm/".count)), on: app.useCases)
            let following = try await CommitmentFollower.query(on: app.db).all()
            #expect(following.map(\.$commitment.id) == [inventory.id!] && following.allSatisfy { $0.confirmedAt != nil })
            #expect(following.map(\.email) == [ProposalTests.proposerEmail])
            // Nobody asked them: the response mail says they follow it now, and how to stop with one click.
            let response = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "proposalResponse").first())
            let told = String(decoding: response.message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
            #expect(told.contains("/public/followers/\(following[0].unsubscribeToken)/unsubscribe"))
            #expect(told.contains("/public/commitments/\(inventory.id!.uuidString.lowercased())"))
        }
    }
}
