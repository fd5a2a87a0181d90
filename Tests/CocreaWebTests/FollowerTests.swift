import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// «Origen del compromiso» on the pages, the API and the PAL, and following a commitment by email
/// through the public page (no account, no JavaScript) and the API, the address never shown.
@Suite struct FollowerTests {
    struct ProblemBody: Decodable {
        var code: String
        var detail: String
        var errors: [FieldError]?
    }

    /// A sealed plan whose «Inventario mensual de medicamentos» a published proposal became.
    static func tracedPlan(_ app: Application) async throws -> (signing: SigningFlowTests.Setup, commitment: UUID) {
        let signing = try await SigningFlowTests.frozenPlan(app)
        let setup = try await ProposalTests.published(app, fixture: signing.fixture)
        let commitment = try await FollowerUseCaseTests.commitment("Inventario mensual de medicamentos", on: app).id!
        let proposal = try await ProposalTests.proposed(setup)
        try await ProposalTests.publish(proposal, setup)
        let answered = try await setup.facilitator.send(
            .POST, "/api/v1/proposals/\(proposal)/response",
            json: #"{"outcome": "incorporated", "reason": "Se incorpora como el inventario mensual.", "commitmentIds": ["\#(commitment)"]}"#)
        #expect(answered.status == .ok)
        #expect(try await SigningFlowTests.paperCopy(signing).status == .ok)
        return (signing, commitment)
    }

    @Test(arguments: TestDatabase.all)
    func theOriginOfACommitmentIsOnItsPagesInTheAPIAndInThePAL(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (signing, commitment) = try await Self.tracedPlan(app)
            let proposalLine = "Propuesta ciudadana 1 (Incorporada): «Las recetas del centro de salud de Tlaquepaque se surten incompletas»"
            let dossierLine = "Problemática del expediente: «Desabasto de medicamentos»"

            let member = try JSONDecoder.api.decode(
                CommitmentDTO.self, from: try await signing.facilitator.send(.GET, "/api/v1/commitments/\(commitment)").body)
            #expect(member.origin?.proposals.map(\.number) == [1] && member.origin?.dossierItem?.title == "Desabasto de medicamentos")
            let listed = try JSONDecoder.api.decode(
                [CommitmentDTO].self, from: try await signing.facilitator.send(.GET, "/api/v1/exercises/\(signing.fixture.exercise.id!)/commitments").body)
            #expect(listed.first { $0.id == commitment }?.origin == member.origin)
            let national = try #require(listed.first { $0.title == "Sistema Estatal de Cuidados" })
            #expect(national.origin?.nationalCommitment?.plan == "2016-2018" && national.origin?.proposals.isEmpty == true)

            let anyone = APIClient(app: app, token: nil)
            let read = try await anyone.send(.GET, "/api/v1/public/commitments/\(commitment)")
            #expect(read.status == .ok)
            let publicRead = try JSONDecoder.api.decode(PublicCommitmentReadDTO.self, from: read.body)
            #expect(publicRead.origin == member.origin && publicRead.progress == 0 && publicRead.completion == .noEvidence)
            #expect(try await anyone.send(.GET, "/api/v1/public/commitments/\(UUID())").status == .notFound)

            let page = try await Browser(app: app).get("/public/commitments/\(commitment)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Origen del compromiso") && html.contains(proposalLine) && html.contains(dossierLine))
            #expect(html.contains("Seguir este compromiso por correo") && html.contains("Aviso de privacidad"))

            let exercisePage = try await Browser(app: app).get("/public/exercises/\(signing.fixture.exercise.id!)").body.string
            #expect(exercisePage.contains(proposalLine) && exercisePage.contains("href=\"/public/commitments/\(commitment.uuidString.lowercased())\""))

            let planPage = Browser(app: app)
            _ = try await planPage.signIn(email: signing.fixture.members["facilitator"]!.email, password: Fixture.password)
            let plan = try await planPage.get("/exercises/\(signing.fixture.exercise.id!)/plan").body.string
            #expect(plan.contains(proposalLine) && plan.contains("Plan de acción nacional 2016-2018"))

            let pdf = try await signing.facilitator.send(.GET, signing.versionPath + "/document.pdf")
            let text = try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: pdf.body))
            #expect(text.contains("Origen del") && text.contains("Propuesta ciudadana 1 (Incorporada)"), "\(text)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNeighbourFollowsFromThePublicPageConfirmsAndUnsubscribesWithoutJavaScript(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (_, commitment) = try await Self.tracedPlan(app)
            let path = "/public/commitments/\(commitment)"
            let neighbour = Browser(app: app)
            let bad = try await neighbour.post(path + "/followers", form: [("email", "sofia@"), ("sitio_web", "")], includeCSRF: false)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("«sofia@» no parece un correo electrónico válido."))
            let sent = try await neighbour.post(path + "/followers", form: [("email", FollowerUseCaseTests.neighbour), ("sitio_web", "")], includeCSRF: false)
            #expect(sent.status == .ok)
            #expect(sent.body.string.contains("Revisa tu correo") && sent.body.string.contains("El enlace vale hasta el 25/11/2026 "))

            let mail = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "followConfirmation").first())
            let text = String(decoding: mail.message, as: UTF8.self)
            let confirm = "/public/followers/\(try FollowerUseCaseTests.token("confirm", in: text))/confirm"
            #expect(try await neighbour.get(confirm).body.string.contains("Sí, seguir el compromiso"))
            #expect(try await CommitmentFollower.query(on: app.db).filter(\.$confirmedAt != nil).count() == 0, "opening the link confirms nothing")
            let confirmed = try await neighbour.post(confirm, form: [], includeCSRF: false)
            #expect(confirmed.status == .ok && confirmed.body.string.contains("te avisaremos de sus avances"))
            #expect(try await CommitmentFollower.query(on: app.db).filter(\.$confirmedAt != nil).count() == 1)

            let unsubscribe = "/public/followers/\(try FollowerUseCaseTests.token("unsubscribe", in: text))/unsubscribe"
            #expect(try await neighbour.get(unsubscribe).body.string.contains("Dejar de seguirlo"))
            #expect(try await neighbour.post(unsubscribe, form: [], includeCSRF: false).body.string.contains("ya no recibirás correos"))
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0)
            #expect(try await neighbour.post(unsubscribe, form: [], includeCSRF: false).status == .notFound, "a link works once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIRefusesBadRequestsWithTheirCodesAndNeverShowsAnAddress(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let (signing, commitment) = try await Self.tracedPlan(app)
            let anyone = APIClient(app: app, token: nil)
            let followers = "/api/v1/public/commitments/\(commitment)/followers"
            let invalid = try await anyone.send(.POST, followers, json: #"{"email": "no-es-correo"}"#)
            #expect(invalid.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(ProblemBody.self, from: invalid.body)
            #expect(problem.code == "validation_failed" && problem.errors?.map(\.field) == ["email"])
            let unknown = try await anyone.send(.POST, "/api/v1/public/commitments/\(UUID())/followers", json: #"{"email": "sofia@correo.example"}"#)
            #expect(unknown.status == .notFound)
            let draft = try await Fixture.commitment("Padrón de Oaxaca", of: signing.fixture.otherExercise.id!, on: app.db)
            #expect(
                try await anyone.send(.POST, "/api/v1/public/commitments/\(draft.id!)/followers", json: #"{"email": "sofia@correo.example"}"#).status
                    == .notFound, "a commitment of a draft exercise is unknown to the public")
            #expect(try await CommitmentFollower.query(on: app.db).count() == 0)

            let accepted = try await anyone.send(.POST, followers, json: #"{"email": "\#(FollowerUseCaseTests.neighbour)"}"#)
            #expect(accepted.status == .accepted)
            let text = String(
                decoding: try #require(try await Delivery.query(on: app.db).filter(\.$kind == "followConfirmation").first()).message, as: UTF8.self)
            let token = try FollowerUseCaseTests.token("confirm", in: text)
            let confirmed = try await anyone.send(.POST, "/api/v1/public/followers/\(token)/confirmation")
            #expect(confirmed.status == .ok)
            #expect(try JSONDecoder.api.decode(FollowerDTO.self, from: confirmed.body).confirmed)
            #expect(try await anyone.send(.POST, "/api/v1/public/followers/\(token)/confirmation").status == .notFound)

            _ = try await anyone.send(.POST, followers, json: #"{"email": "tardio@correo.example"}"#)
            let late = try #require(
                try await Delivery.query(on: app.db).filter(\.$kind == "followConfirmation").filter(\.$toEmail == "tardio@correo.example").first())
            clock.advance(by: 8 * 24 * 3600)
            let expired = try await anyone.send(
                .POST, "/api/v1/public/followers/\(try FollowerUseCaseTests.token("confirm", in: String(decoding: late.message, as: UTF8.self)))/confirmation")
            #expect(expired.status == .gone)
            let gone = try JSONDecoder().decode(ProblemBody.self, from: expired.body)
            #expect(gone.code == "link_expired" && gone.detail.contains("vale 7 días"))

            let unsubscribe = try FollowerUseCaseTests.token("unsubscribe", in: text)
            #expect(try await anyone.send(.DELETE, "/api/v1/public/followers/\(unsubscribe)").status == .noContent)
            #expect(try await anyone.send(.DELETE, "/api/v1/public/followers/\(unsubscribe)").status == .notFound)

            let exercise = signing.fixture.exercise.id!
            let outputs = [
                try await anyone.send(.GET, "/api/v1/public/commitments/\(commitment)").body.string,
                try await Browser(app: app).get("/public/commitments/\(commitment)").body.string,
                try await Browser(app: app).get("/public/exercises/\(exercise)").body.string,
                try await anyone.send(.GET, "/open-data/\(exercise)/commitments.csv").body.string,
                try await anyone.send(.GET, "/open-data/\(exercise)/proposals.json").body.string,
            ]
            for output in outputs {
                #expect(!output.contains("correo.example"), "no follower's or proposer's address in public output")
            }
        }
    }
}
