import CocreaCore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaStore
@testable import CocreaWeb

/// An exercise is a draft until its facilitation publishes it, and its roadmap is announced in
/// advance with every change kept.
@Suite struct PublicationTests {
    struct Problem: Decodable {
        var status: Int
        var code: String
        var detail: String
        var errors: [FieldError]?
    }

    @Test(arguments: TestDatabase.all)
    func facilitatorPublishesOnceAndPublishingAgainChangesNothing(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let id = fixture.exercise.id!
            #expect(try await Exercise.find(id, on: app.db)?.publishedAt == nil)

            let member = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            #expect(try await member.send(.POST, "/api/v1/exercises/\(id)/publication").status == .forbidden)
            let outsider = APIClient(app: app, token: fixture.outsider.token)
            #expect(try await outsider.send(.POST, "/api/v1/exercises/\(id)/publication").status == .notFound)

            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let first = try await facilitator.send(.POST, "/api/v1/exercises/\(id)/publication")
            #expect(first.status == .ok)
            let published = try JSONDecoder.api.decode(PublicationDTO.self, from: first.body)
            #expect(published.publicUrl == "http://127.0.0.1:8080/public/exercises/\(id.uuidString.lowercased())")

            clock.advance(by: 3600)
            let administrator = APIClient(app: app, token: fixture.administrator.token)
            let again = try await administrator.send(.POST, "/api/v1/exercises/\(id)/publication")
            #expect(again.status == .ok)
            #expect(try JSONDecoder.api.decode(PublicationDTO.self, from: again.body).publishedAt == published.publishedAt)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "publish").all()
            #expect(events.count == 1)
            #expect(events.first?.actor.contains(fixture.members["facilitator"]!.email) == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPublishedExerciseIsListedOnThePublicIndexBeforeItsPlanIsSigned(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let id = fixture.exercise.id!
            #expect(!(try await Browser(app: app).get("/public").body.string.contains(fixture.exercise.name)), "a draft is private")

            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            #expect(try await facilitator.send(.POST, "/api/v1/exercises/\(id)/publication").status == .ok)
            let index = try await Browser(app: app).get("/public").body.string
            #expect(index.contains("<a href=\"/public/exercises/\(id)\">\(fixture.exercise.name)</a>"))
            #expect(index.contains("<td>En co-creación: el plan aún no se firma</td><td>—</td>"), "no follow-up before the plan is sealed")
            #expect(!index.contains(fixture.otherExercise.name), "the other exercise is still a draft")
        }
    }

    @Test func theFacilitatorPublishesFromTheOverviewPage() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let id = fixture.exercise.id!
            let member = Browser(app: app)
            #expect(try await member.signIn(email: fixture.members["institution"]!.email, password: Fixture.password).status == .seeOther)
            #expect(!(try await member.get("/exercises/\(id)").body.string.contains("/exercises/\(id)/publication")))
            #expect(try await member.post("/exercises/\(id)/publication", form: []).status == .forbidden)

            let facilitator = Browser(app: app)
            #expect(try await facilitator.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            #expect(try await facilitator.get("/exercises/\(id)").body.string.contains("Publicar el ejercicio"))
            let published = try await facilitator.post("/exercises/\(id)/publication", form: [])
            #expect(published.status == .seeOther)
            #expect(published.headers.first(name: .location) == "/exercises/\(id)")
            #expect(try await facilitator.get("/exercises/\(id)").body.string.contains("Ver la página pública"))
            #expect(try await Browser(app: app).get("/public/exercises/\(id)").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExerciseWhosePlanWasSealedStaysPublicFromItsFirstSeal(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let firstSeal = Date(timeIntervalSince1970: 1_790_000_000)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                for (number, sealedAt) in [(1, firstSeal), (2, firstSeal.addingTimeInterval(86_400))] {
                    let version = PlanVersion()
                    version.$exercise.id = fixture.exercise.id!
                    version.number = number
                    version.content = "{}"
                    version.sha256 = Hashing.sha256Hex("{}")
                    version.frozenAt = sealedAt
                    version.sealedAt = sealedAt
                    try await version.create(on: tx)
                }
            }
            try await AddExercisePublication.publishSealed(on: app.db)
            #expect(try await Exercise.find(fixture.exercise.id, on: app.db)?.publishedAt == firstSeal)
            #expect(try await Exercise.find(fixture.otherExercise.id, on: app.db)?.publishedAt == nil)
        }
    }

    private static let roadmap = """
        [{"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2027-01-20", "place": "Auditorio del ITEI, Guadalajara"},
         {"kind": "consultation", "title": "Consulta sobre abasto de medicamentos", "startsOn": "2027-01-25", "endsOn": "2027-02-07", "place": "En línea"},
         {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-02-12", "place": "Sala de juntas de la Secretaría de Salud"}]
        """

    @Test(arguments: TestDatabase.all)
    func movingAnEventKeepsWhatWasAnnouncedBeforeAsAChange(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/roadmap"
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let first = try await facilitator.send(.PUT, path, json: Self.roadmap)
            #expect(first.status == .ok)
            let announcedAt = clock.now

            clock.advance(by: 5 * 86_400)
            let moved = """
                [{"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2027-01-20", "place": "Auditorio del ITEI, Guadalajara"},
                 {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-02-19", "place": "Sala de juntas de la Secretaría de Salud"}]
                """
            let second = try await facilitator.send(.PUT, path, json: moved)
            #expect(second.status == .ok)
            let events = try JSONDecoder.api.decode([RoadmapEventDTO].self, from: second.body)
            #expect(events.map(\.title) == ["Evento de arranque en Guadalajara", "Mesa de diálogo de salud"])
            let kickoff = events[0]
            let table = events[1]
            #expect(kickoff.sequence == 0 && kickoff.changes.isEmpty)
            #expect(table.startsOn == "2027-02-19" && table.endsOn == "2027-02-19")
            #expect(table.sequence == 1)
            #expect(table.announcedAt == clock.now && table.firstAnnouncedAt == announcedAt)
            #expect(table.changes.map(\.startsOn) == ["2027-02-12"])
            #expect(table.changes.first?.announcedAt == announcedAt)

            // The same roadmap again is no announcement at all.
            #expect(try await facilitator.send(.PUT, path, json: moved).status == .ok)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "announce").count() == 2)
            // The consultation left out is withdrawn, not deleted.
            let withdrawn = try await RoadmapEvent.query(on: app.db).filter(\.$kind == .consultation).first()
            #expect(withdrawn?.withdrawnAt == clock.now)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRoadmapWithImpossibleDatesIsRefusedInSpanishAndChangesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/roadmap"
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            #expect(try await facilitator.send(.PUT, path, json: Self.roadmap).status == .ok)
            let response = try await facilitator.send(
                .PUT, path,
                json: """
                    [{"kind": "firma", "title": "Firma del PAL", "startsOn": "2027-02-30"},
                     {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-03-10", "endsOn": "2027-03-01"},
                     {"kind": "roundtable", "title": "  ", "startsOn": "12/03/2027"}]
                    """)
            #expect(response.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(Problem.self, from: response.body)
            #expect(problem.code == "validation_failed")
            let fields = Dictionary((problem.errors ?? []).map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            #expect(Set(fields.keys) == ["[0].kind", "[0].startsOn", "[1].endsOn", "[2].title", "[2].startsOn"])
            #expect(fields["[0].startsOn"]?.contains("no es una fecha válida") == true)
            #expect(fields["[1].endsOn"] == "La fecha de término (01/03/2027) es anterior a la de inicio (10/03/2027).")
            let table = try await RoadmapEvent.query(on: app.db).filter(\.$kind == .roundtable).first()
            #expect(table?.startsOn == "2027-02-12" && table?.sequence == 0)

            let member = APIClient(app: app, token: fixture.members["institution"]!.token)
            #expect(try await member.send(.PUT, path, json: Self.roadmap).status == .forbidden)
        }
    }
}
