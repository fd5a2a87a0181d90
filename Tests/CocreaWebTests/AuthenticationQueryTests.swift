import CocreaTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import CocreaStore
@testable import CocreaWeb

/// Who is asking is read in one query, the session or the token joined with its person, and whether
/// they belong to the exercise in one more, the exercise joined with their membership: four queries
/// before any page or API read did its own work are two.
@Suite struct AuthenticationQueryTests {
    @Test(arguments: TestDatabase.all)
    func aSignedInRequestReadsItsPersonAndItsMembershipInOneJoinEach(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let exercise = fixture.exercise.id!.uuidString.lowercased()
            let institution = fixture.members["institution"]!
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: institution.email, password: Fixture.password).status == .seeOther)
            let api = APIClient(app: app, token: institution.token)
            let counter = QueryCounter.install(on: app)

            var status: HTTPStatus = .internalServerError
            let apiStatements = try await counter.statements { status = try await api.send(.GET, "/api/v1/exercises/\(exercise)").status }
            #expect(status == .ok)
            #expect(apiStatements.count == 2, "\(apiStatements.joined(separator: "\n"))")
            #expect(apiStatements.first?.contains(#"FROM "api_tokens" INNER JOIN "users""#) == true)
            #expect(apiStatements.last?.contains(#"FROM "exercises" LEFT JOIN "members""#) == true)

            let pageStatements = try await counter.statements { status = try await browser.get("/exercises/\(exercise)").status }
            #expect(status == .ok)
            let described = pageStatements.joined(separator: "\n")
            #expect(pageStatements.first?.contains(#"FROM "web_sessions" INNER JOIN "users""#) == true, "\(described)")
            #expect(pageStatements.dropFirst().first?.contains(#"FROM "exercises" LEFT JOIN "members""#) == true, "\(described)")
            #expect(pageStatements.filter { $0.contains(#"FROM "users""#) || $0.contains("web_sessions") }.count == 1, "\(described)")

            let administrator = APIClient(app: app, token: fixture.administrator.token)
            #expect(try await administrator.send(.GET, "/api/v1/exercises/\(exercise)").status == .ok, "an administrator needs no membership")
            let outsider = APIClient(app: app, token: fixture.outsider.token)
            #expect(try await outsider.send(.GET, "/api/v1/exercises/\(exercise)").status == .notFound)
            let memberOfOther = APIClient(app: app, token: fixture.memberOfOther.token)
            #expect(try await memberOfOther.send(.GET, "/api/v1/exercises/\(exercise)").status == .notFound, "a membership elsewhere opens nothing here")
        }
    }

    /// A session stored before sessions named their person in a column is given it by the migration,
    /// so nobody is signed out by the upgrade.
    @Test(arguments: TestDatabase.all)
    func sessionsStoredBeforeTheirPersonHadAColumnStaySignedIn(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["guarantor"]!.email, password: Fixture.password).status == .seeOther)
            try await (app.db as! any SQLDatabase).raw("UPDATE web_sessions SET user_id = NULL").run()
            #expect(try await browser.get("/exercises").status != .ok, "a session without its person opens nothing")

            try await AddWebSessionUser.backfill(on: app.db)
            #expect(try await browser.get("/exercises").status == .ok)
            #expect(try await WebSession.query(on: app.db).filter(\.$user.$id == nil).count() == 0)
        }
    }
}
