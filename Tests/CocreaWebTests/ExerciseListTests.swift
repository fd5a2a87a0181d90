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

/// A national instance lists thousands of exercises: the API walks them by cursor, the pages by number
/// with a search over name and territory, and the public index computes only the page it shows.
@Suite struct ExerciseListTests {
    static let territories = [
        ("San Pedro Tlaquepaque", "San Pedro Tlaquepaque, Jalisco"), ("Querétaro", "Santiago de Querétaro, Querétaro"),
        ("Mérida", "Mérida, Yucatán"), ("Zapopan", "Zapopan, Jalisco"), ("Xalapa", "Xalapa, Veracruz"),
    ]

    private func createExercises(_ api: APIClient) async throws {
        for (town, territory) in Self.territories {
            let response = try await api.send(
                .POST, "/api/v1/exercises",
                json: """
                    {"name": "Ejercicio local de gobierno abierto \(town) 2027", "territory": "\(territory)"}
                    """)
            #expect(response.status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func apiPagesWalkEveryExerciseOnceEvenWithAnInsertBetweenPages(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            try await createExercises(api)
            let existing = Set(try await Exercise.query(on: app.db).all().map { $0.id! })
            var seen: [UUID] = []
            var path = "/api/v1/exercises?limit=2"
            var pages = 0
            while true {
                let response = try await api.send(.GET, path)
                #expect(response.status == .ok)
                let page = try JSONDecoder.api.decode([ExerciseDTO].self, from: response.body)
                #expect(page.count <= 2)
                seen += page.compactMap(\.id)
                pages += 1
                if pages == 1 {
                    // Written while the client is between pages: it sorts after the cursor, so it comes later.
                    #expect(
                        try await api.send(
                            .POST, "/api/v1/exercises",
                            json: """
                                {"name": "Ejercicio local de gobierno abierto Zacatecas 2027", "territory": "Zacatecas"}
                                """
                        ).status == .created)
                }
                guard let cursor = response.headers.first(name: "X-Next-Cursor") else {
                    #expect(response.headers.first(name: .link) == nil)
                    break
                }
                path = "/api/v1/exercises?limit=2&cursor=\(cursor)"
                #expect(response.headers.first(name: .link) == "<\(path)>; rel=\"next\"")
            }
            #expect(seen.count == Set(seen).count)
            #expect(existing.isSubset(of: Set(seen)))
            #expect(seen.count == existing.count + 1)
            #expect(pages == 4)
        }
    }

    @Test func aMemberWalksOnlyTheirExercises() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            try await createExercises(APIClient(app: app, token: fixture.administrator.token))
            let response = try await APIClient(app: app, token: fixture.memberOfOther.token).send(.GET, "/api/v1/exercises?limit=1")
            #expect(try JSONDecoder.api.decode([ExerciseDTO].self, from: response.body).map(\.id) == [fixture.otherExercise.id])
            #expect(response.headers.first(name: "X-Next-Cursor") == nil)
        }
    }

    @Test func invalidCursorOrLimitIsA422InSpanish() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            for (query, field) in [("cursor=no-es-un-cursor", "cursor"), ("limit=0", "limit"), ("limit=500", "limit"), ("limit=diez", "limit")] {
                let response = try await api.send(.GET, "/api/v1/exercises?\(query)")
                #expect(response.status == .unprocessableEntity)
                let problem = try JSONDecoder.api.decode(ExercisesAPITests.Problem.self, from: response.body)
                #expect(problem.code == "validation_failed")
                #expect(problem.errors?.map(\.field) == [field])
                #expect(problem.detail.contains(field == "cursor" ? "El cursor no es válido" : "entre 1 y 200"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func searchFindsNameAndTerritoryWithoutCaseOrAccents(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            try await createExercises(APIClient(app: app, token: fixture.administrator.token))
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.administrator.email, password: fixture.administrator.password)
            let tlaquepaque = try await browser.get("/exercises?q=tlaquepaque").body.string
            #expect(tlaquepaque.contains("Ejercicio local de gobierno abierto San Pedro Tlaquepaque 2027"))
            #expect(!tlaquepaque.contains("Zapopan 2027"))
            let oaxaca = try await browser.get("/exercises?q=oaxaca").body.string
            #expect(oaxaca.contains("Ejercicio local de gobierno abierto Oaxaca 2026"))
            #expect(!oaxaca.contains("Jalisco 2026"))
            let queretaro = try await browser.get("/exercises?q=QUERETARO").body.string
            #expect(queretaro.contains("Santiago de Querétaro, Querétaro"))
            #expect(try await browser.get("/exercises?q=Chihuahua").body.string.contains("Ningún ejercicio coincide con la búsqueda."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func publicIndexShowsPageTwoWithItsLinks(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            _ = try await PlanDistributionTests.sealedPlan(app)
            #expect(try await ScaleSeed.grow(to: 30, on: app) == 30)
            let anyone = Browser(app: app)
            let first = try await anyone.get("/public").body.string
            #expect(first.components(separatedBy: "<tr><td><a href=\"/public/exercises/").count - 1 == 25)
            #expect(first.contains("Página 1 de 2 · 30 ejercicios"))
            #expect(first.contains(#"<a href="/public?pagina=2" rel="next">Siguiente</a>"#))
            #expect(first.contains(#"<label for="q">Buscar por nombre o territorio</label>"#))
            let second = try await anyone.get("/public?pagina=2").body.string
            #expect(second.components(separatedBy: "<tr><td><a href=\"/public/exercises/").count - 1 == 5)
            #expect(second.contains(#"<a href="/public" rel="prev">Anterior</a>"#))
            #expect(second.contains(#"<a href="/public?pagina=2" aria-current="page">2</a>"#))
            #expect(!second.contains("rel=\"next\""))
            let oaxaca = try await anyone.get("/public?q=oaxaca").body.string
            #expect(oaxaca.contains("Plan de Acción Local de Oaxaca de Juárez"))
            #expect(!oaxaca.contains("Plan de Acción Local de Mérida"))
            #expect(oaxaca.contains(#"value="oaxaca""#))
        }
    }
}
