import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// The public follow-up is built once for every anonymous reader: a stale or made-up session cookie
/// opens no session, so it costs what no cookie costs.
@Suite struct PublicCacheTests {
    @Test(arguments: TestDatabase.all)
    func aMadeUpSessionCookieIsServedFromTheCacheAndWritesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            // Served from the cache for as long as the test takes on a loaded machine, not for 5 s.
            app.storage[PublicCacheKey.self] = PublicCache(lifetime: 3600)
            let setup = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let exercise = setup.fixture.exercise
            let paths = ["/public/exercises/\(exercise.id!)", "/api/v1/public/exercises/\(exercise.id!)/progress"]
            for path in paths {
                #expect(try await Browser(app: app).get(path).body.string.contains(exercise.name), "\(path)")
            }
            // A change this process's writer does not see (as another process's would): only a new build shows it.
            let renamed = "Plan de Acción Local de Jalisco (nombre corregido)"
            try await Exercise.query(on: app.db).filter(\.$id == exercise.id!).set(\.$name, to: renamed).update()
            let generation = app.writer.generation

            for (index, path) in paths.enumerated() {
                let visitor = Browser(app: app)
                visitor[cookie: "cocrea_session"] = index == 0 ? "inventada-por-un-programa" : "caducada-hace-una-semana"
                let cached = try await visitor.get(path)
                #expect(cached.status == .ok)
                #expect(cached.body.string.contains(exercise.name) && !cached.body.string.contains(renamed), "\(path) comes from the cache")
            }
            #expect(try await WebSession.query(on: app.db).count() == 0)
            #expect(app.writer.generation == generation, "reading wrote nothing")

            let facilitator = Browser(app: app)
            #expect(try await facilitator.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let own = try await facilitator.get(paths[0])
            #expect(own.body.string.contains(renamed), "a signed-in person gets a page built for them")
            #expect(own.body.string.contains("Cerrar sesión"))
        }
    }
}
