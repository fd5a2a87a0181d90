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

/// From its publication, anyone sees an exercise's process: its STL, roadmap, tables, public
/// documents and plan versions, and never an email.
@Suite struct PublicExerciseTests {
    @Test(arguments: TestDatabase.all)
    func aDraftIsHiddenFromAnyoneWithoutAccessUntilItIsPublished(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let id = fixture.exercise.id!
            let anonymous = APIClient(app: app, token: nil)
            #expect(try await anonymous.send(.GET, "/api/v1/public/exercises/\(id)").status == .notFound)
            #expect(try await Browser(app: app).get("/public/exercises/\(id)").status == .notFound)
            let outsider = APIClient(app: app, token: fixture.outsider.token)
            #expect(try await outsider.send(.GET, "/api/v1/public/exercises/\(id)").status == .notFound)
            let member = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            #expect(try await member.send(.GET, "/api/v1/public/exercises/\(id)").status == .ok)

            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            #expect(try await facilitator.send(.POST, "/api/v1/exercises/\(id)/publication").status == .ok)
            #expect(try await anonymous.send(.GET, "/api/v1/public/exercises/\(id)").status == .ok)
            let page = try await Browser(app: app).get("/public/exercises/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Secretariado Técnico Local (STL)"))
            // The other exercise is still a draft.
            #expect(try await anonymous.send(.GET, "/api/v1/public/exercises/\(fixture.otherExercise.id!)").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePublicExerciseShowsTheProcessAndNoEmailAnywhere(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let id = fixture.exercise.id!
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let roadmap = "/api/v1/exercises/\(id)/roadmap"
            #expect(
                try await facilitator.send(
                    .PUT, roadmap,
                    json: """
                        [{"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-02-12", "place": "Sala de juntas de la Secretaría de Salud"}]
                        """
                ).status == .ok)
            clock.advance(by: 2 * 86_400)
            #expect(
                try await facilitator.send(
                    .PUT, roadmap,
                    json: """
                        [{"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-02-19", "place": "Sala de juntas de la Secretaría de Salud"}]
                        """
                ).status == .ok)

            let guarantor = APIClient(app: app, token: fixture.members["guarantor"]!.token)
            let (headers, body) = MultipartForm.encode(
                fields: [("kind", "problem"), ("title", "Desabasto de medicamentos en centros de salud"), ("source", "Evento de arranque")],
                file: (field: "file", name: "desabasto.csv", type: "text/csv", data: Array("centro,semanas sin abasto\nCentro de Salud Tlaquepaque,3\n".utf8)))
            let publicItem = try await guarantor.send(.POST, "/api/v1/exercises/\(id)/dossier/items", headers: headers, body: body)
            #expect(publicItem.status == .created)
            #expect(try JSONDecoder.api.decode(DossierItemDTO.self, from: publicItem.body).visibility == .public)
            let privateItem = try await guarantor.send(
                .POST, "/api/v1/exercises/\(id)/dossier/items",
                json: """
                    {"kind": "problem", "title": "Quejas con nombre de pacientes", "body": "Lista de quejas con nombres y teléfonos", "visibility": "stlOnly"}
                    """)
            #expect(try JSONDecoder.api.decode(DossierItemDTO.self, from: privateItem.body).visibility == .stlOnly)
            let privateID = try JSONDecoder.api.decode(DossierItemDTO.self, from: privateItem.body).id!
            let wrong = try await guarantor.send(
                .POST, "/api/v1/exercises/\(id)/dossier/items",
                json: """
                    {"kind": "problem", "title": "Otro", "body": "Texto", "visibility": "privado"}
                    """)
            #expect(wrong.status == .unprocessableEntity)

            let members = try await Member.query(on: app.db).filter(\.$exercise.$id == id).all()
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: id, startsAt: Date(timeIntervalSince1970: 1_802_000_000), place: "Sala Juárez")
                table.stage = .closed
                try await table.create(on: tx)
                for member in members {
                    let presence: Presence = member.sector == .civilSociety ? .absent : .present
                    try await Attendance(roundtableID: table.id!, memberID: member.id!, presence: presence, representedBy: nil).create(on: tx)
                }
                let version = PlanVersion()
                version.$exercise.id = id
                version.number = 1
                version.content = "{}"
                version.sha256 = Hashing.sha256Hex("{}")
                version.frozenAt = clock.now
                try await version.create(on: tx)
                for member in members {
                    let statement = Conformity()
                    statement.$planVersion.id = version.id!
                    statement.$member.id = member.id!
                    statement.stance = member.sector == .institution ? .agreeWithReservations : .agree
                    statement.reason = member.sector == .institution ? "Falta presupuesto para el segundo semestre" : nil
                    statement.statedAt = clock.now
                    try await statement.create(on: tx)
                }
            }
            #expect(try await facilitator.send(.POST, "/api/v1/exercises/\(id)/publication").status == .ok)

            let anonymous = APIClient(app: app, token: nil)
            let json = try await anonymous.send(.GET, "/api/v1/public/exercises/\(id)")
            #expect(json.status == .ok)
            let overview = try JSONDecoder.api.decode(PublicExerciseDTO.self, from: json.body)
            #expect(overview.convener.organizations == ["Organización de Lic. Jorge Ramírez Ochoa", "Organización de Mtro. Tomás Aguilar Reyes"])
            #expect(Set(overview.stl.map(\.name)) == Set(members.map(\.name)))
            #expect(overview.roadmap.first?.changes.map(\.startsOn) == ["2027-02-12"])
            let attendance = try #require(overview.roundtables.first?.attendance)
            #expect(attendance.first { $0.presence == .present }?.sectors.map(\.count) == [2, 1, 0])
            #expect(attendance.first { $0.presence == .absent }?.sectors.map(\.count) == [0, 0, 1])
            #expect(overview.versions.first?.conformity.first { $0.stance == .agreeWithReservations }?.sectors.map(\.count) == [0, 1, 0])
            #expect(overview.documents.map(\.title) == ["Desabasto de medicamentos en centros de salud"])
            #expect(overview.sealedPlan == nil)

            let url = try #require(overview.documents.first?.file?.url)
            #expect(url.hasPrefix("http://127.0.0.1:8080/public/exercises/"))
            let download = try await Browser(app: app).get(String(url.dropFirst("http://127.0.0.1:8080".count)))
            #expect(download.status == .ok)
            #expect(download.body.string.contains("Centro de Salud Tlaquepaque"))
            #expect(try await Browser(app: app).get("/public/exercises/\(id)/documents/\(privateID)").status == .notFound)

            let page = try await Browser(app: app).get("/public/exercises/\(id)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("antes: 12/02/2027"))
            #expect(html.contains("Sala Juárez"))
            #expect(!html.contains("Quejas con nombre de pacientes"))
            let emails = try await Member.query(on: app.db).all().map(\.email) + [fixture.administrator.email]
            for output in [json.body.string, html] {
                for email in emails {
                    #expect(!output.contains(email), "\(email) is published")
                }
                #expect(!output.contains("@"), "an address is published")
            }
        }
    }
}
