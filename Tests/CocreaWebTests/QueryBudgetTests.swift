import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Reads cost what they should: the SQL statements of each main page and API read, counted from the
/// drivers' own query log on a sealed plan (five commitments, their activities, six members, a report), stay
/// within their budget. A budget is the count today, a ceiling: a read that loads the same rows twice,
/// or one query per row, goes over it. Signed-in reads start with two: the session (or token) joined with
/// its person, and the exercise joined with the person's membership (`AuthenticationQueryTests`).
@Suite struct QueryBudgetTests {
    @Test(arguments: TestDatabase.all)
    func mainPagesAndAPIReadsStayWithinTheirQueryBudget(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            // One activity reported on and the report observed by civil society: reports and their
            // verification steps are read with the rest, not one query per report.
            let activity = try #require(try await Activity.query(on: app.db).first())
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            let report = try await institution.send(
                .POST, "/api/v1/activities/\(activity.id!)/progress",
                json: #"{"status": "inProgress", "progress": 40, "note": "Se publicó el primer conjunto de datos de compras"}"#)
            #expect(report.status == .created)
            let reportID = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: report.body).id
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            let observed = try await lucia.send(
                .POST, "/api/v1/activity-updates/\(reportID)/verification", json: #"{"verdict": "observed", "reason": "Faltan los contratos de marzo"}"#)
            #expect(observed.status == .ok)
            let exercise = setup.fixture.exercise.id!.uuidString.lowercased()
            let facilitator = Browser(app: app)
            #expect(try await facilitator.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let anonymous = Browser(app: app)
            let counter = QueryCounter.install(on: app)

            let pages: [(String, Browser, Int)] = [
                ("/login", anonymous, 0),
                ("/exercises", facilitator, 3),
                ("/exercises/\(exercise)", facilitator, 5),
                ("/exercises/\(exercise)/dossier", facilitator, 5),
                ("/exercises/\(exercise)/roundtables", facilitator, 6),
                // The plan page: its commitments with their activities and each one's latest report, the
                // proposals, the dossier's problems with what was said about them, the national plan,
                // every version with the latest's members, signatures and stances, the OCDS packages, the
                // published surveys and the request topics its commitments may answer.
                ("/exercises/\(exercise)/plan", facilitator, 10),
                ("/public", anonymous, 5),
                ("/public/exercises/\(exercise)", anonymous, 10),
            ]
            for (path, browser, budget) in pages {
                var status: HTTPStatus = .internalServerError
                let statements = try await counter.statements { status = try await browser.get(path).status }
                #expect(status == .ok, "\(path)")
                #expect(statements.count <= budget, "\(path): \(statements.count) queries, budget \(budget)\n\(statements.joined(separator: "\n"))")
            }
            let api = setup.facilitator
            let reads: [(String, Int)] = [
                ("/api/v1/exercises", 2),
                ("/api/v1/exercises/\(exercise)", 2),
                ("/api/v1/exercises/\(exercise)/dossier/status", 5),
                ("/api/v1/exercises/\(exercise)/plan/check", 4),
                ("/api/v1/exercises/\(exercise)/commitments", 6),
                ("/api/v1/exercises/\(exercise)/plan/versions", 3),
                ("/api/v1/public/exercises/\(exercise)/progress", 4),
            ]
            for (path, budget) in reads {
                var status: HTTPStatus = .internalServerError
                let statements = try await counter.statements { status = try await api.send(.GET, path).status }
                #expect(status == .ok, "\(path)")
                #expect(statements.count <= budget, "\(path): \(statements.count) queries, budget \(budget)\n\(statements.joined(separator: "\n"))")
            }
        }
    }
}
