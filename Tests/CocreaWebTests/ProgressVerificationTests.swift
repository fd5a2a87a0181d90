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

/// Verified progress through the API and the pages: who may give a verdict, the refusals that change
/// nothing, and the public page that shows who verified what and when.
@Suite struct ProgressVerificationTests {
    struct Reported {
        var setup: SigningFlowTests.Setup
        var report: ActivityUpdateDTO
        var exerciseID: String
    }

    /// The sealed plan and the institution's report completing the open-contracting activity, through the API.
    static func reported(_ app: Application) async throws -> Reported {
        let setup = try await PlanDistributionTests.sealedPlan(app)
        let activity = try #require(
            try await Activity.query(on: app.db).with(\.$commitment).all()
                .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
        let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
        let created = try await institution.send(
            .POST, "/api/v1/activities/\(activity.id!)/progress",
            json: #"{"status": "completed", "progress": 100, "note": "Se publicaron en OCDS las compras de 2027"}"#)
        #expect(created.status == .created, "\(created.body.string)")
        return Reported(
            setup: setup, report: try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: created.body),
            exerciseID: setup.fixture.exercise.id!.uuidString.lowercased())
    }

    @Test(arguments: TestDatabase.all)
    func theAPIRefusesWhatTheRulesForbidAndChangesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let reported = try await Self.reported(app)
            let members = reported.setup.fixture.members
            let path = "/api/v1/activity-updates/\(reported.report.id)/verification"
            let lucia = APIClient(app: app, token: members["civilSociety"]!.token)
            let institution = APIClient(app: app, token: members["institution"]!.token)

            let unknown = try await lucia.send(.POST, "/api/v1/activity-updates/\(UUID())/verification", json: #"{"verdict": "verified"}"#)
            #expect(unknown.status == .notFound)
            let wrongRole = try await institution.send(.POST, path, json: #"{"verdict": "verified"}"#)
            #expect(wrongRole.status == .forbidden)
            #expect(try SigningFlowTests.problem(wrongRole)["code"] as? String == "forbidden")
            let outsider = APIClient(app: app, token: reported.setup.fixture.memberOfOther.token)
            #expect(try await outsider.send(.POST, path, json: #"{"verdict": "verified"}"#).status == .notFound)

            let badVerdict = try await lucia.send(.POST, path, json: #"{"verdict": "aprobado"}"#)
            #expect(badVerdict.status == .unprocessableEntity)
            #expect(badVerdict.body.string.contains("«aprobado» no es un valor válido para el dictamen"))
            let noReason = try await lucia.send(.POST, path, json: #"{"verdict": "observed", "reason": ""}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Falta el motivo de la observación."))
            let notObserved = try await institution.send(
                .POST, "/api/v1/activity-updates/\(reported.report.id)/answer", json: #"{"answer": "Ya están publicadas."}"#)
            #expect(notObserved.status == .conflict)
            #expect(try SigningFlowTests.problem(notObserved)["code"] as? String == "report_not_observed")
            #expect(try await VerificationEntry.query(on: app.db).count() == 0, "refusals change nothing")

            let observed = try await lucia.send(
                .POST, path, json: #"{"verdict": "observed", "reason": "El enlace a la evidencia no abre desde fuera de la red estatal."}"#)
            #expect(observed.status == .ok, "\(observed.body.string)")
            #expect(try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: observed.body).verification == .observed)
            let noAnswer = try await institution.send(.POST, "/api/v1/activity-updates/\(reported.report.id)/answer", json: #"{"answer": " "}"#)
            #expect(noAnswer.status == .unprocessableEntity)
            #expect(noAnswer.body.string.contains("Falta la respuesta a la observación."))
            let answered = try await institution.send(
                .POST, "/api/v1/activity-updates/\(reported.report.id)/answer", json: #"{"answer": "Ya abre: se movió al portal público."}"#)
            #expect(answered.status == .ok, "\(answered.body.string)")
            #expect(try await lucia.send(.POST, path, json: #"{"verdict": "verified"}"#).status == .ok)
            let again = try await lucia.send(.POST, path, json: #"{"verdict": "verified"}"#)
            #expect(again.status == .conflict)
            #expect(try SigningFlowTests.problem(again)["code"] as? String == "report_already_verified")
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePagesShowCompleteAndVerifiedApartAndWhoVerified(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let reported = try await Self.reported(app)
            let members = reported.setup.fixture.members
            let lucia = Browser(app: app)
            #expect(try await lucia.signIn(email: members["civilSociety"]!.email, password: Fixture.password).status == .seeOther)
            // As the page writes its forms' addresses.
            let planPath = "/exercises/\(reported.setup.fixture.exercise.id!.uuidString)/plan"
            let form = planPath + "/activity-updates/\(reported.report.id.uuidString.lowercased())/verification"
            let plan = try await lucia.get(planPath).body.string
            #expect(plan.contains("Verificación por la sociedad civil"))
            #expect(plan.contains(form), "Lucía may give a verdict")

            let refused = try await lucia.post(form, form: [("verdict", "observed"), ("reason", "")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Falta el motivo de la observación."))
            let observed = try await lucia.post(form, form: [("verdict", "observed"), ("reason", "Faltan los contratos de marzo")])
            #expect(observed.status == .ok)
            #expect(observed.body.string.contains("Quedó registrado tu dictamen"))

            let maria = Browser(app: app)
            #expect(try await maria.signIn(email: members["institution"]!.email, password: Fixture.password).status == .seeOther)
            let answerForm = planPath + "/activity-updates/\(reported.report.id.uuidString.lowercased())/answer"
            #expect(try await maria.get(planPath).body.string.contains(answerForm), "María answers the observation")
            #expect(!(try await maria.get(planPath).body.string.contains(form)), "the institution gives no verdict")
            #expect(try await maria.post(answerForm, form: [("answer", "Se publicaron el 12 de julio")]).status == .ok)
            let anyone = Browser(app: app)
            let before = try await anyone.get("/public/exercises/\(reported.exerciseID)").body.string
            #expect(before.contains("Concluida") && before.contains("Respondido, por verificar"))
            #expect(before.contains("Sustancial"), "not complete until verified")

            #expect(try await lucia.post(form, form: [("verdict", "verified"), ("reason", "")]).status == .ok)
            let page = try await anyone.get("/public/exercises/\(reported.exerciseID)").body.string
            #expect(page.contains("Concluida") && page.contains("<td>Verificado</td>"), "«Concluida» and «Verificado» apart")
            #expect(page.contains("Completo"))
            #expect(page.contains("Observó: Lucía Hernández Paredes (Sociedad civil, Organización de Lucía Hernández Paredes): Faltan los contratos de marzo"))
            #expect(page.contains("Verificó: Lucía Hernández Paredes (Sociedad civil"))
            #expect(page.contains("Respondió: Dra. María Fernanda López Castañeda (Institución"))
            #expect(!page.contains(members["civilSociety"]!.email))
        }
    }
}
