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

/// The JSON API v1 of the workspace, as another system would use it.
@Suite struct ExercisesAPITests {
    struct Problem: Decodable {
        var status: Int
        var code: String
        var detail: String
        var errors: [FieldError]?
    }

    @Test(arguments: TestDatabase.all)
    func administratorCreatesAnExerciseAndItIsAudited(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            let response = try await api.send(
                .POST, "/api/v1/exercises",
                json: """
                    {"name": "Ejercicio local de gobierno abierto Zapopan 2027", "territory": "Zapopan, Jalisco",
                     "sectorLabels": {"guarantor": "Autoridad garante"}}
                    """)
            #expect(response.status == .created)
            let exercise = try JSONDecoder.api.decode(ExerciseDTO.self, from: response.body)
            #expect(exercise.timeZone == "America/Mexico_City")
            #expect(exercise.nationalPlan == "2016-2018")
            #expect(exercise.sectorLabels["guarantor"] == "Autoridad garante")
            #expect(exercise.sectorLabels["civilSociety"] == "Sociedad civil")
            #expect(response.headers.first(name: .location) == "/api/v1/exercises/\(exercise.id!)")
            let event = try await AuditEvent.query(on: app.db).filter(\.$entityID == exercise.id).first()
            #expect(event?.action == "create")
            #expect(event?.actor.contains(fixture.administrator.email) == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func invalidExerciseIsRefusedInSpanishAndChangesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let before = try await Exercise.query(on: app.db).count()
            let api = APIClient(app: app, token: fixture.administrator.token)
            let response = try await api.send(.POST, "/api/v1/exercises", json: #"{"name": "  ", "timeZone": "Europe/Madrid"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            let problem = try JSONDecoder.api.decode(Problem.self, from: response.body)
            #expect(problem.code == "validation_failed")
            #expect(Set(problem.errors?.map(\.field) ?? []) == ["name", "territory", "timeZone"])
            #expect(problem.detail.contains("Falta el nombre del ejercicio."))
            #expect(try await Exercise.query(on: app.db).count() == before)
        }
    }

    @Test func malformedJSONIsA400WithASpanishDetail() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            let response = try await api.send(.POST, "/api/v1/exercises", json: #"{"name": "Sin cerrar"#)
            #expect(response.status == .badRequest)
            let problem = try JSONDecoder.api.decode(Problem.self, from: response.body)
            #expect(problem.code == "invalid_body")
            #expect(problem.detail.hasPrefix("No pudimos leer la solicitud"))
            let wrongType = try await api.send(.POST, "/api/v1/exercises", json: #"{"name": 42, "territory": "Jalisco"}"#)
            #expect(wrongType.status == .badRequest)
            #expect(try JSONDecoder.api.decode(Problem.self, from: wrongType.body).detail.contains("«name»"))
        }
    }

    @Test func revokedOrInventedTokenIsRefused() async throws {
        try await withCocrea(.sqlite) { app in
            let response = try await APIClient(app: app, token: "inventado").send(.GET, "/api/v1/exercises")
            #expect(response.status == .unauthorized)
            let problem = try JSONDecoder.api.decode(Problem.self, from: response.body)
            #expect(problem.code == "invalid_token")
            let anonymous = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/exercises")
            #expect(try JSONDecoder.api.decode(Problem.self, from: anonymous.body).code == "not_authenticated")
        }
    }

    @Test(arguments: TestDatabase.all)
    func facilitatorInvitesAMemberAndTheInvitationWaitsInTheOutbox(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/members"
            let body = """
                {"name": "Rosa Elena Ortiz Medina", "email": "Rosa.Ortiz@RedMujeres.example", "sector": "civilSociety",
                 "organization": "Red de Mujeres por la Transparencia A.C."}
                """
            let response = try await api.send(.POST, path, json: body)
            #expect(response.status == .created)
            let member = try JSONDecoder.api.decode(MemberDTO.self, from: response.body)
            #expect(member.email == "rosa.ortiz@redmujeres.example")
            #expect(member.role == .member)
            let deliveries = try await Delivery.query(on: app.db).filter(\.$toEmail == "rosa.ortiz@redmujeres.example").all()
            #expect(deliveries.count == 1)
            #expect(deliveries.first?.subject == "Invitación al ejercicio «\(fixture.exercise.name)»")
            #expect(deliveries.first?.state == .pending)

            let again = try await api.send(.POST, path, json: body)
            #expect(again.status == .conflict)
            #expect(try JSONDecoder.api.decode(Problem.self, from: again.body).code == "member_exists")
            #expect(try await Delivery.query(on: app.db).filter(\.$toEmail == "rosa.ortiz@redmujeres.example").count() == 1)
        }
    }

    @Test func civilSocietyMemberCannotInvite() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            let response = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/members",
                json: #"{"name": "X", "email": "x@y.example", "sector": "institution", "organization": "Y"}"#)
            #expect(response.status == .forbidden)
            #expect(try await Member.query(on: app.db).filter(\.$email == "x@y.example").count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func guarantorUploadsTheCapacityKitAsMultipart(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let pdf = SimplePDF.document(title: "Kit de capacidades", lines: ["Guía para la mesa de diálogo"])
            let response = try await multipart(
                app: app, token: fixture.members["guarantor"]!.token, exercise: fixture.exercise,
                fields: [("kind", "capacityKit"), ("title", "Kit de capacidades 2026"), ("source", "Organismo garante")],
                file: ("Kit de capacidades.pdf", "application/pdf", Array(pdf)))
            #expect(response.status == .created, "\(response.body.string)")
            let item = try JSONDecoder.api.decode(DossierItemDTO.self, from: response.body)
            #expect(item.kind == .capacityKit)
            #expect(item.file?.name == "Kit de capacidades.pdf")
            #expect(item.file?.size == pdf.count)
            #expect(item.file?.sha256 == Hashing.sha256Hex(pdf))
            #expect(item.contributedBy.contains("Mtro. Tomás Aguilar Reyes"))

            let listed = try await APIClient(app: app, token: fixture.members["civilSociety"]!.token)
                .send(.GET, "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items")
            #expect(try JSONDecoder.api.decode([DossierItemDTO].self, from: listed.body).map(\.title) == ["Kit de capacidades 2026"])
        }
    }

    @Test func fileWhoseContentLiesAboutItsTypeIsRefusedAndNothingIsStored() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let response = try await multipart(
                app: app, token: fixture.members["guarantor"]!.token, exercise: fixture.exercise,
                fields: [("kind", "capacityKit"), ("title", "Kit")],
                file: ("kit.pdf", "application/pdf", [0x4D, 0x5A, 0x90, 0x00]))
            #expect(response.status == .unsupportedMediaType)
            #expect(try JSONDecoder.api.decode(Problem.self, from: response.body).code == "file_content_mismatch")
            #expect(try await DossierItem.query(on: app.db).count() == 0)
            #expect(try await StoredFile.query(on: app.db).count() == 0)
        }
    }

    @Test func institutionCannotAddTheGuarantorsKickoffResults() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["institution"]!.token)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items"
            let refused = try await api.send(.POST, path, json: #"{"kind": "preliminaryCommitment", "title": "Algo", "body": "Texto"}"#)
            #expect(refused.status == .forbidden)
            let accepted = try await api.send(
                .POST, path,
                json: """
                    {"kind": "informationRequests", "title": "Solicitudes recurrentes sobre abasto", "body": "312 solicitudes en 2026 preguntan por existencias de medicamentos.", "source": "Plataforma Nacional de Transparencia"}
                    """)
            #expect(accepted.status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyInstallationShipsBothNationalPlansWithoutTheDemo(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let anyone = APIClient(app: app, token: nil)
            let third = try JSONDecoder.api.decode(
                [NationalCommitmentDTO].self,
                from: try await anyone.send(.GET, "/api/v1/national-commitments?plan=2016-2018").body)
            #expect(
                third.filter(\.isAxis).map(\.code) == ["EJE1", "EJE2", "EJE3", "EJE4", "EJE5", "EJE6", "EJE7"],
                "the seven axes, those without a listed commitment too")
            #expect(third.first { $0.code == "MX0067" }?.axis == "EJE2")
            let fourth = try JSONDecoder.api.decode(
                [NationalCommitmentDTO].self,
                from: try await anyone.send(.GET, "/api/v1/national-commitments?plan=2019-2021").body)
            #expect(fourth.count == 13, "MX0075–MX0087")
            #expect(fourth.allSatisfy { !$0.isAxis && $0.code.hasPrefix("MX") && !$0.source.isEmpty }, "a plan without axes")
        }
    }

    @Test(arguments: TestDatabase.all)
    func administratorLoadsAndReplacesANationalPlanCatalogue(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let admin = APIClient(app: app, token: fixture.administrator.token)
            var csv = HTTPHeaders()
            csv.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            let loaded = try await admin.send(
                .PUT, "/api/v1/national-commitments?plan=2019-2021", headers: csv,
                body: ByteBuffer(
                    string: """
                        id,axis,title,source
                        EJE1,,Gasto abierto y responsable,Plan de Acción 2019-2021
                        MX0001,EJE1,"Gasto abierto y obra pública, con participación ciudadana",Plan de Acción 2019-2021
                        """))
            #expect(loaded.status == .ok, "\(loaded.body.string)")
            let replaced = try await admin.send(
                .PUT, "/api/v1/national-commitments?plan=2019-2021",
                json: """
                    [{"code": "EJE1", "axis": null, "title": "Gasto abierto y responsable", "source": "Plan"}]
                    """)
            #expect(replaced.status == .ok)
            let entries = try JSONDecoder.api.decode(
                [NationalCommitmentDTO].self,
                from: try await admin.send(.GET, "/api/v1/national-commitments?plan=2019-2021").body)
            #expect(entries.map(\.code) == ["EJE1"])

            let broken = try await admin.send(
                .PUT, "/api/v1/national-commitments?plan=2019-2021", headers: csv,
                body: ByteBuffer(string: "id,axis,title,source\nMX0002,EJE9,Huérfano,x\n"))
            #expect(broken.status == .unprocessableEntity)
            #expect(try await NationalCommitment.query(on: app.db).filter(\.$plan == "2019-2021").count() == 1, "nothing half-applied")

            let member = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            #expect(try await member.send(.PUT, "/api/v1/national-commitments?plan=2019-2021", json: "[]").status == .forbidden)
        }
    }

    private func multipart(
        app: Application, token: String, exercise: Exercise, fields: [(String, String)],
        file: (name: String, type: String, data: [UInt8])
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = MultipartForm.encode(fields: fields, file: (field: "file", name: file.name, type: file.type, data: file.data))
        return try await APIClient(app: app, token: token)
            .send(.POST, "/api/v1/exercises/\(exercise.id!)/dossier/items", headers: headers, body: body)
    }
}
