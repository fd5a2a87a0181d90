import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Citizen proposals: received without an account while the consultation window is open, moderated
/// by the STL, each published one answered with a reason before a version is frozen (rule R1), the
/// proposer's email confirmed before it is used and never shown.
@Suite struct ProposalTests {
    /// The test clock's day is 18/11/2026 in Mexico City: this window is open, the other one not yet.
    static let openWindow = #"{"kind": "consultation", "title": "Consulta pública de salud", "startsOn": "2026-11-10", "endsOn": "2026-11-30"}"#
    static let laterWindow = #"{"kind": "consultation", "title": "Consulta pública de salud", "startsOn": "2026-12-01", "endsOn": "2026-12-15"}"#
    static let proposerEmail = "rosa.martinez.vecina@correo.example"

    struct Setup {
        var fixture: Fixture
        var facilitator: APIClient
        var anonymous: APIClient
        var exerciseID: UUID
        var proposals: String { "/api/v1/public/exercises/\(exerciseID)/proposals" }
    }

    /// A published exercise whose roadmap announces `window`.
    static func published(_ app: Application, window: String = openWindow, fixture given: Fixture? = nil) async throws -> Setup {
        let fixture: Fixture
        if let given { fixture = given } else { fixture = try await Fixture.make(on: app) }
        let id = fixture.exercise.id!
        let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
        #expect(try await facilitator.send(.POST, "/api/v1/exercises/\(id)/publication").status == .ok)
        #expect(try await facilitator.send(.PUT, "/api/v1/exercises/\(id)/roadmap", json: "[\(window)]").status == .ok)
        return Setup(fixture: fixture, facilitator: facilitator, anonymous: APIClient(app: app, token: nil), exerciseID: id)
    }

    static func propose(
        _ setup: Setup, problem: String = "Las recetas del centro de salud de Tlaquepaque se surten incompletas",
        solution: String = "Publicar cada semana el inventario de medicamentos por unidad médica", email: String? = nil
    ) async throws -> TestingHTTPResponse {
        let body = try JSONEncoder().encode(ProposalInput(problem: problem, solution: solution, theme: "Salud", email: email))
        return try await setup.anonymous.send(.POST, setup.proposals, json: String(decoding: body, as: UTF8.self))
    }

    static func proposed(
        _ setup: Setup, problem: String = "Las recetas del centro de salud de Tlaquepaque se surten incompletas", email: String? = nil
    )
        async throws -> UUID
    {
        let response = try await propose(setup, problem: problem, email: email)
        #expect(response.status == .created)
        return try JSONDecoder.api.decode(ProposalReceiptDTO.self, from: response.body).id
    }

    static func publish(_ proposal: UUID, _ setup: Setup) async throws {
        #expect(try await setup.facilitator.send(.POST, "/api/v1/proposals/\(proposal)/moderation", json: #"{"action": "publish"}"#).status == .ok)
    }

    @Test(arguments: TestDatabase.all)
    func aProposalOutsideTheConsultationWindowIsRefusedInSpanishAndNothingIsStored(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.published(app, window: Self.laterWindow)
            let refused = try await Self.propose(setup, email: Self.proposerEmail)
            #expect(refused.status == .conflict)
            let problem = try JSONDecoder().decode(ProblemBody.self, from: refused.body)
            #expect(problem.code == "consultation_closed")
            #expect(problem.detail.contains("no recibe propuestas hoy"))
            #expect(problem.detail.contains("La próxima consulta pública abre el 01/12/2026"))
            #expect(try await Proposal.query(on: app.db).count() == 0)
            #expect(try await Delivery.query(on: app.db).count() == 0)

            // A draft exercise is unknown to the public.
            let draft = Setup(
                fixture: setup.fixture, facilitator: setup.facilitator, anonymous: setup.anonymous, exerciseID: setup.fixture.otherExercise.id!)
            #expect(try await Self.propose(draft).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aProposalNeedsAProblemAndASolutionAndAProgramFillingTheHoneypotIsRefused(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.published(app)
            let empty = try await setup.anonymous.send(.POST, setup.proposals, json: #"{"problem": "  ", "email": "no-es-correo"}"#)
            #expect(empty.status == .unprocessableEntity)
            let fields = try JSONDecoder().decode(ProblemBody.self, from: empty.body).errors?.map(\.field)
            #expect(fields == ["problem", "solution", "email"])
            let bot = try await setup.anonymous.send(
                .POST, setup.proposals, json: #"{"problem": "Baches", "solution": "Bachear", "website": "http://spam.example"}"#)
            #expect(bot.status == .unprocessableEntity)
            #expect(try JSONDecoder().decode(ProblemBody.self, from: bot.body).code == "suspected_automation")
            #expect(try await Proposal.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func proposalsShareTheSurveyAnswersAbuseLimits(database: TestDatabase) async throws {
        try await withCocrea(database, surveyRateLimit: 2) { app in
            let setup = try await Self.published(app)
            _ = try await Self.proposed(setup)
            let again = try await Self.propose(setup)
            #expect(again.status == .conflict)
            #expect(try JSONDecoder().decode(ProblemBody.self, from: again.body).code == "duplicate_response")
            let third = try await Self.propose(setup, problem: "Falta alumbrado en la colonia El Cerrito")
            #expect(third.status == .tooManyRequests)
            #expect(try await Proposal.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSTLPublishesOrHidesWithAPublicReasonAndAHiddenProposalStaysListedWithoutItsText(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.published(app)
            let kept = try await Self.proposed(setup)
            let hidden = try await Self.proposed(setup, problem: "El director Juan Pérez, tel. 33 1234 5678, no atiende")

            let listed = try await Self.publicList(setup)
            #expect(listed.map(\.status) == [.received, .received])
            #expect(listed.allSatisfy { $0.problem == nil }, "nothing is shown before the STL reviews it")

            let civilSociety = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(try await civilSociety.send(.POST, "/api/v1/proposals/\(kept)/moderation", json: #"{"action": "publish"}"#).status == .forbidden)
            let outsider = APIClient(app: app, token: setup.fixture.memberOfOther.token)
            #expect(try await outsider.send(.POST, "/api/v1/proposals/\(kept)/moderation", json: #"{"action": "publish"}"#).status == .notFound)

            let noReason = try await setup.facilitator.send(.POST, "/api/v1/proposals/\(hidden)/moderation", json: #"{"action": "hide"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Falta el motivo público"))
            try await Self.publish(kept, setup)
            let hiding = try await setup.facilitator.send(
                .POST, "/api/v1/proposals/\(hidden)/moderation", json: #"{"action": "hide", "reason": "Contiene datos personales de un servidor público."}"#)
            #expect(hiding.status == .ok)
            #expect(try JSONDecoder.api.decode(ProposalDTO.self, from: hiding.body).status == .hidden)

            let after = try await Self.publicList(setup)
            #expect(after.count == 2, "a hidden proposal is never deleted")
            let shown = try #require(after.first { $0.id == kept })
            #expect(shown.status == .published && shown.problem?.contains("Tlaquepaque") == true && shown.theme == "Salud")
            let hid = try #require(after.first { $0.id == hidden })
            #expect(hid.status == .hidden && hid.moderationReason == "Contiene datos personales de un servidor público.")
            #expect(hid.problem == nil && hid.solution == nil)
            #expect(!(try await setup.anonymous.send(.GET, setup.proposals).body.string.contains("33 1234 5678")))
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyOutcomeNeedsAWrittenReasonAndOnlyTheExercisesCommitments(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.published(app)
            let base = "/api/v1/exercises/\(setup.exerciseID)"
            let commitment = try await Self.commitment("Inventario mensual de medicamentos", in: base, as: setup.facilitator)
            let oaxaca = APIClient(app: app, token: setup.fixture.memberOfOther.token)
            let foreign = try await Self.commitment("Padrón de beneficiarios de Oaxaca", in: "/api/v1/exercises/\(setup.fixture.otherExercise.id!)", as: oaxaca)
            let first = try await Self.proposed(setup)
            let duplicate = try await Self.proposed(setup, problem: "Faltan medicinas en el centro de salud de Tlaquepaque")
            let third = try await Self.proposed(setup, problem: "Las farmacias cobran de más")
            let fourth = try await Self.proposed(setup, problem: "No hay médicos los fines de semana")
            let unpublished = try await Self.proposed(setup, problem: "Ambulancias sin gasolina")
            for proposal in [first, duplicate, third, fourth] { try await Self.publish(proposal, setup) }
            func respond(_ proposal: UUID, _ json: String) async throws -> TestingHTTPResponse {
                try await setup.facilitator.send(.POST, "/api/v1/proposals/\(proposal)/response", json: json)
            }

            for outcome in ProposalOutcome.allCases {
                let missing = try await respond(first, #"{"outcome": "\#(outcome.rawValue)", "reason": " ", "commitmentIds": ["\#(commitment)"]}"#)
                #expect(missing.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(ProblemBody.self, from: missing.body).errors?.contains { $0.field == "reason" } == true, "\(outcome)")
            }
            let stranger = try await respond(
                first, #"{"outcome": "incorporated", "reason": "Se incorpora al inventario.", "commitmentIds": ["\#(commitment)", "\#(foreign)"]}"#)
            #expect(stranger.status == .unprocessableEntity)
            #expect(stranger.body.string.contains("no es de este ejercicio"))
            #expect(try await Proposal.find(first, on: app.db)?.outcome == nil, "a refused response changes nothing")
            #expect(
                try await respond(unpublished, #"{"outcome": "notIncorporated", "reason": "Fuera del alcance del plan."}"#).status == .conflict)

            let incorporated = try await respond(
                first,
                #"{"outcome": "incorporated", "reason": "Se incorpora como el compromiso de inventario mensual.", "commitmentIds": ["\#(commitment)"]}"#)
            #expect(incorporated.status == .ok)
            #expect(try JSONDecoder.api.decode(ProposalDTO.self, from: incorporated.body).response?.commitmentIds == [commitment])
            #expect(
                try await respond(
                    third, #"{"outcome": "partiallyIncorporated", "reason": "Se publica el precio de referencia.", "commitmentIds": ["\#(commitment)"]}"#
                ).status == .ok)
            #expect(try await respond(duplicate, #"{"outcome": "merged", "reason": "Es la misma propuesta."}"#).status == .unprocessableEntity)
            #expect(
                try await respond(duplicate, #"{"outcome": "merged", "reason": "Es la misma propuesta.", "mergedInto": "\#(unpublished)"}"#).status
                    == .unprocessableEntity)
            #expect(
                try await respond(duplicate, #"{"outcome": "merged", "reason": "Es la misma propuesta que la 1.", "mergedInto": "\#(first)"}"#).status == .ok)
            #expect(
                try await respond(
                    fourth, #"{"outcome": "notIncorporated", "reason": "La plantilla médica no depende del municipio.", "commitmentIds": ["\#(commitment)"]}"#
                ).status == .unprocessableEntity)
            #expect(
                try await respond(fourth, #"{"outcome": "notIncorporated", "reason": "La plantilla médica no depende del municipio."}"#).status == .ok)

            let listed = try await Self.publicList(setup)
            #expect(listed.first { $0.id == first }?.response?.outcome == .incorporated)
            #expect(listed.first { $0.id == third }?.response?.outcome == .partiallyIncorporated)
            #expect(listed.first { $0.id == duplicate }?.response?.mergedInto == first)
            #expect(listed.first { $0.id == fourth }?.response?.reason == "La plantilla médica no depende del municipio.")
            let page = try await Browser(app: app).get("/public/exercises/\(setup.exerciseID)/proposals").body.string
            #expect(
                page.contains(#"<a href="/public/commitments/\#(commitment.uuidString.lowercased())">Inventario mensual de medicamentos</a>"#),
                "the commitment a proposal became is one click away, with its origin and progress")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aVersionIsNotFrozenWhileAPublishedProposalWaitsForItsResponse(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let signing = try await SigningFlowTests.frozenPlan(app, closeConformity: false)
            let setup = try await Self.published(app, fixture: signing.fixture)
            let received = try await Self.proposed(setup, problem: "Ambulancias sin gasolina")
            let proposal = try await Self.proposed(setup)
            try await Self.publish(proposal, setup)
            let freeze = "/api/v1/exercises/\(setup.exerciseID)/plan/versions"

            let refused = try await setup.facilitator.send(.POST, freeze)
            #expect(refused.status == .conflict)
            let problem = try JSONDecoder().decode(ProblemBody.self, from: refused.body)
            #expect(problem.code == "proposal_without_response")
            #expect(problem.proposals?.map(\.id) == [proposal], "only the published one, not the one the STL has not reviewed")
            #expect(problem.detail.contains("Las recetas del centro de salud de Tlaquepaque"))
            let check = try JSONDecoder.api.decode(
                PlanCheckDTO.self, from: try await setup.facilitator.send(.GET, "/api/v1/exercises/\(setup.exerciseID)/plan/check").body)
            #expect(!check.valid && check.problems.map(\.rule) == ["R1"])

            #expect(
                try await setup.facilitator.send(
                    .POST, "/api/v1/proposals/\(proposal)/response",
                    json: #"{"outcome": "notIncorporated", "reason": "El inventario ya se publica en el portal estatal."}"#
                ).status == .ok)
            let accepted = try await setup.facilitator.send(.POST, freeze)
            #expect(accepted.status == .ok || accepted.status == .created)
            #expect(try await Proposal.find(received, on: app.db)?.status == .received)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theProposersEmailIsUsedOnlyOnceConfirmedAndNeverShown(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let setup = try await Self.published(app)
            let quiet = try await Self.proposed(setup, problem: "Falta alumbrado en la colonia El Cerrito", email: "vecino.sin.confirmar@correo.example")
            let proposal = try await Self.proposed(setup, email: Self.proposerEmail)
            for id in [quiet, proposal] { try await Self.publish(id, setup) }
            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer,
                configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { clock.now })
            #expect(await worker.drain() == 2)
            let confirmations = try await sink.waitForMessages(count: 2)
            #expect(confirmations.allSatisfy { $0.subject == "Confirma tu correo para saber la respuesta a tu propuesta" })
            let mail = try #require(confirmations.first { $0.rcptTos == [Self.proposerEmail] })
            let text = (mail.textBody ?? "").replacingOccurrences(of: "=\r\n", with: "")
            let link = try #require(text.range(of: #"/public/proposals/confirm/[A-Za-z0-9_\-]+"#, options: .regularExpression).map { String(text[$0]) })

            let browser = Browser(app: app)
            let page = try await browser.get(link)
            #expect(page.status == .ok)
            #expect(try await Proposal.find(proposal, on: app.db)?.emailConfirmedAt == nil, "opening the link alone confirms nothing")
            #expect(try await browser.post(link, form: [], includeCSRF: false).status == .ok)
            #expect(try await Proposal.find(proposal, on: app.db)?.emailConfirmedAt != nil)
            #expect(try await browser.post(link, form: [], includeCSRF: false).status == .notFound, "a link confirms once")

            for id in [quiet, proposal] {
                #expect(
                    try await setup.facilitator.send(
                        .POST, "/api/v1/proposals/\(id)/response",
                        json: #"{"outcome": "notIncorporated", "reason": "Lo atiende el programa municipal de alumbrado y abasto."}"#
                    ).status == .ok)
            }
            #expect(await worker.drain() == 1, "only the confirmed proposer is written to")
            let responses = try await sink.waitForMessages(count: 3).filter { $0.subject?.hasPrefix("Respuesta a tu propuesta") == true }
            #expect(responses.map(\.rcptTos) == [[Self.proposerEmail]])
            #expect(responses.first?.textBody?.contains("Resultado: no incorporada.") == true)

            let outputs = [
                try await setup.anonymous.send(.GET, setup.proposals).body.string,
                try await setup.anonymous.send(.GET, "/api/v1/public/exercises/\(setup.exerciseID)").body.string,
                try await Browser(app: app).get("/public/exercises/\(setup.exerciseID)/proposals").body.string,
                try await Browser(app: app).get("/public/exercises/\(setup.exerciseID)").body.string,
                try await setup.facilitator.send(
                    .POST, "/api/v1/proposals/\(proposal)/moderation", json: #"{"action": "publish"}"#
                ).body.string,
            ]
            for output in outputs {
                #expect(!output.contains(Self.proposerEmail) && !output.contains("vecino.sin.confirmar"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCitizenProposesFromThePublicPageAndTheSTLAnswersFromItsOwnPage(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.published(app)
            let path = "/public/exercises/\(setup.exerciseID)/proposals"
            let citizen = Browser(app: app)
            let form = try await citizen.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Aviso de privacidad") && form.body.string.contains("La consulta pública está abierta hasta el 30/11/2026."))
            let empty = try await citizen.post(path, form: [("problem", " "), ("solution", "")], includeCSRF: false)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Falta el problema."))
            #expect(try await Proposal.query(on: app.db).count() == 0)
            let sent = try await citizen.post(
                path,
                form: [
                    ("problem", "El camión de la ruta 380 no pasa después de las 9 de la noche"), ("solution", "Publicar los horarios reales por GPS"),
                    ("theme", "Movilidad"), ("email", ""), ("sitio_web", ""),
                ], includeCSRF: false)
            #expect(sent.status == .ok)
            #expect(sent.body.string.contains("Recibimos tu propuesta"))
            let proposal = try #require(try await Proposal.query(on: app.db).first()).id!

            let stl = Browser(app: app)
            let facilitator = setup.fixture.members["facilitator"]!
            _ = try await stl.signIn(email: facilitator.email, password: facilitator.password)
            #expect(try await stl.get("/exercises/\(setup.exerciseID)/proposals").body.string.contains("ruta 380"))
            let page = "/exercises/\(setup.exerciseID)/proposals/\(proposal)"
            let hideWithoutReason = try await stl.post(page + "/moderation", form: [("action", "hide"), ("reason", "")])
            #expect(hideWithoutReason.status == .unprocessableEntity)
            #expect(try await stl.post(page + "/moderation", form: [("action", "publish"), ("reason", "")]).body.string.contains("Moderación guardada."))
            #expect(try await stl.get("/exercises/\(setup.exerciseID)/plan").body.string.contains("está publicada y aún no tiene su respuesta razonada"))
            let answered = try await stl.post(
                page + "/response",
                form: [("outcome", "notIncorporated"), ("reason", "El transporte público lo regula el gobierno del estado."), ("mergedInto", "")])
            #expect(answered.status == .ok)
            #expect(answered.body.string.contains("Respuesta guardada y publicada."))

            let listed = try await Browser(app: app).get(path).body.string
            #expect(listed.contains("No incorporada") && listed.contains("El transporte público lo regula el gobierno del estado."))
            #expect(listed.contains("Publicar los horarios reales por GPS"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theKioskTakesOneProposalAfterAnotherAndShowsNothingOfThePreviousPerson(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let setup = try await Self.published(app)
            let id = setup.exerciseID.uuidString.lowercased()
            let kiosk = "/public/exercises/\(id)/proposals/kiosk"
            let tablet = Browser(app: app)
            let form = try await tablet.get(kiosk)
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"action="\#(kiosk)""#) && form.body.string.contains("Aviso de privacidad"))
            #expect(
                form.body.string.contains(#"name="email" type="email" inputmode="email" autocomplete="off""#),
                "the tablet's browser offers nobody the previous person's address")
            #expect(!form.body.string.contains("Todas las propuestas"), "the kiosk is the form alone")
            #expect(form.headers[.setCookie].isEmpty, "nothing is kept in the tablet's browser")

            let rosa = [
                ("problem", "Las recetas del centro de salud de Tlaquepaque se surten incompletas"),
                ("solution", "Publicar cada semana el inventario de medicamentos por unidad médica"), ("theme", "Salud"),
                ("email", Self.proposerEmail), ("sitio_web", ""),
            ]
            let thanks = try await tablet.post(kiosk, form: rosa, includeCSRF: false)
            #expect(thanks.status == .ok)
            let text = thanks.body.string
            #expect(text.contains("Recibimos tu propuesta") && text.contains("Te enviamos un correo para confirmar tu dirección"))
            // Back to an empty form for the next person: a countdown the person can stop (WCAG 2.2.1), and a link.
            #expect(text.contains(#"id="reinicio" data-url="\#(kiosk)""#) && text.contains(#"<script src="/kiosk.js" defer></script>"#))
            #expect(text.contains(#"href="\#(kiosk)""#))
            #expect(!text.contains(Self.proposerEmail) && !text.contains("Tlaquepaque"), "nothing of the person stays on the screen")
            #expect(try await tablet.post(kiosk, form: rosa, includeCSRF: false).status == .conflict, "a double tap")

            clock.advance(by: 16)
            let neighbour = rosa.map { $0.0 == "email" ? ("email", "") : $0 }
            #expect(
                try await tablet.post(kiosk, form: neighbour, includeCSRF: false).status == .ok,
                "the next person at the tablet may propose the same")
            #expect(
                try await Browser(app: app).post("/public/exercises/\(id)/proposals", form: neighbour, includeCSRF: false).status == .conflict,
                "from one's own phone the same text again is a repetition")
            #expect(try await Proposal.query(on: app.db).count() == 2)
            #expect(try await Delivery.query(on: app.db).count() == 1, "one confirmation mail, for the one address given")

            let stl = Browser(app: app)
            let facilitator = setup.fixture.members["facilitator"]!
            _ = try await stl.signIn(email: facilitator.email, password: facilitator.password)
            let workspace = try await stl.get("/exercises/\(setup.exerciseID)/proposals").body.string
            #expect(workspace.contains("Modo quiosco para recibir propuestas") && workspace.contains(#"\#(kiosk)">"#))
        }
    }

    // MARK: Helpers

    struct ProblemBody: Decodable {
        struct Listed: Decodable {
            var id: UUID
            var problem: String
        }
        var code: String
        var detail: String
        var errors: [FieldError]?
        var proposals: [Listed]?
    }

    static func publicList(_ setup: Setup) async throws -> [PublicProposalDTO] {
        try JSONDecoder.api.decode([PublicProposalDTO].self, from: try await setup.anonymous.send(.GET, setup.proposals).body)
    }

    static func commitment(_ title: String, in base: String, as client: APIClient) async throws -> UUID {
        let created = try await client.send(
            .POST, base + "/commitments",
            json: """
                {"title": "\(title)", "category": "local", "problem": "Recetas no surtidas", "objective": "Surtir el 95 % de las recetas",
                 "startsOn": "2027-01-15", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco"}
                """)
        #expect(created.status == .created)
        return try JSONDecoder.api.decode(CommitmentDTO.self, from: created.body).id!
    }
}
