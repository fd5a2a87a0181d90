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

/// Commitments and activities through the API: the plan check lists every unmet rule, and two
/// people editing the same commitment never overwrite each other silently.
@Suite struct CommitmentsAPITests {
    struct Problem: Decodable {
        var code: String
        var detail: String
    }

    private func setUp(_ app: Application) async throws -> (Fixture, APIClient, String, UUID, [NationalCommitmentDTO]) {
        let fixture = try await Fixture.make(on: app)
        let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
        let base = "/api/v1/exercises/\(fixture.exercise.id!)"
        let problem = try await api.send(
            .POST, base + "/dossier/items",
            json: """
                {"kind": "problem", "title": "Desabasto de medicamentos", "body": "Recetas incompletas en centros de salud."}
                """)
        let problemID = try JSONDecoder.api.decode(DossierItemDTO.self, from: problem.body).id!
        let catalogue = try JSONDecoder.api.decode(
            [NationalCommitmentDTO].self,
            from: try await api.send(.GET, "/api/v1/national-commitments?plan=2016-2018").body)
        return (fixture, api, base, problemID, catalogue)
    }

    private func commitment(_ title: String, category: String, national: UUID? = nil, problem: UUID? = nil) -> String {
        var fields = [
            "\"title\": \"\(title)\"", "\"category\": \"\(category)\"",
            "\"startsOn\": \"2027-01-15\"", "\"endsOn\": \"2027-12-15\"",
            "\"leadInstitution\": \"Secretaría de Salud Jalisco\"",
            "\"indicator\": {\"name\": \"Porcentaje publicado\", \"baseline\": \"0 %\", \"target\": \"100 %\", \"meansOfVerification\": \"Portal de datos abiertos\"}",
        ]
        if let national { fields.append("\"nationalCommitmentId\": \"\(national)\"") }
        if let problem { fields.append("\"dossierItemId\": \"\(problem)\"") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    @Test(arguments: TestDatabase.all)
    func planCheckListsEveryUnmetRuleUntilThePlanIsComplete(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (_, api, base, problemID, catalogue) = try await setUp(app)
            let refused = try await api.send(.POST, base + "/plan/versions")
            #expect(refused.status == .unprocessableEntity)
            let refusal = try JSONSerialization.jsonObject(with: Data(buffer: refused.body)) as! [String: Any]
            #expect(refusal["code"] as? String == "plan_invalid")
            #expect((refusal["problems"] as? [[String: Any]])?.count == 3)
            #expect(try await PlanVersion.query(on: app.db).count() == 0)

            let first = try await api.send(.GET, base + "/plan/check")
            let empty = try JSONDecoder.api.decode(PlanCheckDTO.self, from: first.body)
            #expect(!empty.valid)
            #expect(Set(empty.problems.map(\.rule)) == ["Q1", "Q2", "Q3"])

            let national = catalogue.filter { $0.axis != nil }.map(\.id!)
            var created: [CommitmentDTO] = []
            for body in [
                commitment("Contrataciones abiertas de la Secretaría de Salud", category: "procurement"),
                commitment("Sistema Estatal de Cuidados", category: "nationalPlan", national: national[0]),
                commitment("Padrón único de beneficiarios", category: "nationalPlan", national: national[1]),
                commitment("Inventario mensual de medicamentos", category: "local", problem: problemID),
                commitment("Tablero de abasto por unidad médica", category: "local", problem: problemID),
            ] {
                let response = try await api.send(.POST, base + "/commitments", json: body)
                #expect(response.status == .created, "\(response.body.string)")
                created.append(try JSONDecoder.api.decode(CommitmentDTO.self, from: response.body))
            }
            let noActivities = try JSONDecoder.api.decode(PlanCheckDTO.self, from: try await api.send(.GET, base + "/plan/check").body)
            #expect(noActivities.problems.map(\.code) == Array(repeating: "activities_missing", count: 5))
            #expect(noActivities.problems.map(\.commitmentId) == created.map(\.id))

            for commitment in created {
                let activity = try await api.send(
                    .POST, "/api/v1/commitments/\(commitment.id!)/activities",
                    json: """
                        {"title": "Publicar el primer conjunto de datos", "responsible": "Lic. Jorge Ramírez Ochoa", "responsibleInstitution": "STL Jalisco", "dueOn": "2027-03-31"}
                        """)
                #expect(activity.status == .created)
            }
            let complete = try JSONDecoder.api.decode(PlanCheckDTO.self, from: try await api.send(.GET, base + "/plan/check").body)
            #expect(complete.valid, "\(complete.problems)")
            // The quality review advises on every commitment (no OGP value, an objective that is not a change,
            // activities without deliverable or start) and still lets the plan freeze.
            #expect(
                Set(complete.warnings.map(\.code)) == ["ogp_value_missing", "objective_output_only", "activity_deliverable_missing", "activity_dates_missing"])
            #expect(Set(complete.warnings.map(\.commitmentId)) == Set(created.map(\.id!)))
            #expect(complete.warnings.first { $0.code == "ogp_value_missing" }?.field == "ogpValues")

            let frozen = try await api.send(.POST, base + "/plan/versions")
            #expect(frozen.status == .created)
            let version = try JSONDecoder.api.decode(PlanVersionDTO.self, from: frozen.body)
            #expect(version.number == 1)
            let stored = try #require(try await PlanVersion.find(version.id, on: app.db))
            #expect(Hashing.sha256Hex(stored.content) == version.sha256, "the hash is the frozen content's")
            let again = try await api.send(.POST, base + "/plan/versions")
            #expect(again.status == .ok, "nothing changed: the same version")

            _ = try await api.send(
                .PUT, "/api/v1/commitments/\(created[0].id!)",
                json: """
                    {"title": "Contrataciones abiertas de salud y educación", "category": "procurement", "startsOn": "2027-01-15", "endsOn": "2027-12-15",
                     "indicator": {"name": "Porcentaje publicado", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal"}, "revision": 1}
                    """)
            let second = try JSONDecoder.api.decode(PlanVersionDTO.self, from: try await api.send(.POST, base + "/plan/versions").body)
            #expect(second.number == 2)
            #expect(second.sha256 != version.sha256)
        }
    }

    @Test(arguments: TestDatabase.all)
    func secondEditorOfTheSameRevisionGetsAConflictWithBothVersions(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (fixture, api, base, _, _) = try await setUp(app)
            let created = try JSONDecoder.api.decode(
                CommitmentDTO.self,
                from: try await api.send(
                    .POST, base + "/commitments", json: commitment("Contrataciones abiertas", category: "procurement")
                ).body)
            #expect(created.revision == 1)

            let administrator = APIClient(app: app, token: fixture.administrator.token)
            let first = try await api.send(
                .PUT, "/api/v1/commitments/\(created.id!)",
                json: """
                    {"title": "Contrataciones abiertas de salud", "category": "procurement", "revision": 1}
                    """)
            #expect(first.status == .ok)
            #expect(try JSONDecoder.api.decode(CommitmentDTO.self, from: first.body).revision == 2)

            let second = try await administrator.send(
                .PUT, "/api/v1/commitments/\(created.id!)",
                json: """
                    {"title": "Compras públicas abiertas", "category": "procurement", "revision": 1}
                    """)
            #expect(second.status == .conflict)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: second.body)) as! [String: Any]
            #expect(body["code"] as? String == "revision_conflict")
            #expect((body["current"] as? [String: Any])?["title"] as? String == "Contrataciones abiertas de salud")
            #expect((body["submitted"] as? [String: Any])?["title"] as? String == "Compras públicas abiertas")
            let stored = try await Commitment.find(created.id, on: app.db)
            #expect(stored?.title == "Contrataciones abiertas de salud", "the first edit stands")

            let staleDelete = try await api.send(.DELETE, "/api/v1/commitments/\(created.id!)?revision=1")
            #expect(staleDelete.status == .conflict)
            let delete = try await api.send(.DELETE, "/api/v1/commitments/\(created.id!)?revision=2")
            #expect(delete.status == .noContent)
            #expect(try await Commitment.query(on: app.db).count() == 0)
        }
    }

    @Test func linksMustPointIntoThisExercisesDossierAndCatalogue() async throws {
        try await withCocrea(.sqlite) { app in
            let (fixture, api, base, _, catalogue) = try await setUp(app)
            let other = try await APIClient(app: app, token: fixture.memberOfOther.token).send(
                .POST, "/api/v1/exercises/\(fixture.otherExercise.id!)/dossier/items",
                json: #"{"kind": "problem", "title": "Otro problema", "body": "Oaxaca"}"#)
            let otherProblem = try JSONDecoder.api.decode(DossierItemDTO.self, from: other.body).id!
            let response = try await api.send(
                .POST, base + "/commitments",
                json: """
                    {"title": "Mal vinculado", "category": "procurement", "nationalCommitmentId": "\(catalogue[0].id!)", "dossierItemId": "\(otherProblem)", "startsOn": "2027-02-30"}
                    """)
            #expect(response.status == .unprocessableEntity)
            let detail = try JSONDecoder.api.decode(Problem.self, from: response.body).detail
            #expect(detail.contains("Solo un compromiso alineado al plan nacional"))
            #expect(detail.contains("no está en el expediente de este ejercicio"))
            #expect(detail.contains("«2027-02-30» no es una fecha de inicio válida"))
            #expect(try await Commitment.query(on: app.db).count() == 0)
        }
    }

    @Test func civilSocietyMemberReadsCommitmentsButCannotEditThem() async throws {
        try await withCocrea(.sqlite) { app in
            let (fixture, _, base, _, _) = try await setUp(app)
            let member = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            #expect(try await member.send(.GET, base + "/commitments").status == .ok)
            let refused = try await member.send(.POST, base + "/commitments", json: commitment("Intento", category: "procurement"))
            #expect(refused.status == .forbidden)
        }
    }
}
