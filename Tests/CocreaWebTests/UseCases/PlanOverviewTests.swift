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

/// The plan page's reading, joined in a few queries, says what each use case says on its own.
@Suite struct PlanOverviewTests {
    @Test(arguments: TestDatabase.all)
    func theJoinedReadingSaysWhatEachUseCaseSaysOnItsOwn(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let setup = try await SigningFlowTests.frozenPlan(app, closeConformity: false)
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            // Lucía changes her mind: her standing statement is the later one.
            _ = try await lucia.send(.POST, setup.versionPath + "/conformity", json: #"{"stance": "agree"}"#)
            clock.advance(by: 60)
            _ = try await lucia.send(
                .POST, setup.versionPath + "/conformity", json: #"{"stance": "agreeWithReservations", "reason": "Falta el calendario de compras"}"#)
            clock.advance(by: 60)
            _ = try await institution.send(.POST, setup.versionPath + "/conformity", json: #"{"stance": "agree"}"#)
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/conformity/close")
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let activity = try #require(try await Activity.query(on: app.db).first())
            let report = try await institution.send(
                .POST, "/api/v1/activities/\(activity.id!)/progress",
                json: #"{"status": "inProgress", "progress": 40, "note": "Se publicó el primer conjunto de datos de compras"}"#)
            let reportID = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: report.body).id
            #expect(
                try await lucia.send(
                    .POST, "/api/v1/activity-updates/\(reportID)/verification", json: #"{"verdict": "observed", "reason": "Faltan los contratos de marzo"}"#
                ).status == .ok)
            let answered = try await institution.send(
                .POST, "/api/v1/activity-updates/\(reportID)/answer", json: #"{"answer": "Se publicaron el 12 de julio"}"#)
            #expect(answered.status == .ok)

            let exercise = setup.fixture.exercise
            let exerciseID = try exercise.requireID()
            let overview = try await PlanOverview.read(exercise, on: app.useCases)
            let version = try #require(try await PlanVersion.query(on: app.db).filter(\.$exercise.$id == exerciseID).sort(\.$number, .descending).first())
            let commitments = try await CommitmentOperations.list(exerciseID, on: app.db)

            let check = try await CommitmentOperations.check(exerciseID, on: app.db)
            let origins = try await CommitmentOrigins.origins(of: commitments, in: exerciseID, for: .workspace, on: app.db)
            let signing = try await SigningOperations.status(of: version, on: app.db)
            let distribution = try await PlanDistributionOperations.status(of: version, on: app.db)
            let record = try await ConformityOperations.record(of: version, on: app.db)

            #expect(try json(overview.commitments) == json(commitments))
            #expect(try json(overview.check) == json(check))
            #expect(overview.origins == origins)
            #expect(overview.versions.map(\.id) == [version.id!])
            let latest = try #require(overview.latest)
            #expect(try json(latest.signing) == json(signing))
            #expect(try json(latest.distribution) == json(distribution))
            #expect(try json(latest.stances) == json(record.current))
            #expect(latest.stances.map(\.stance) == [.agreeWithReservations, .agree] && latest.signing.sealed)
            // The latest report with its steps in order: observed, then answered.
            let reported = try #require(overview.reports[activity.id!])
            #expect(reported.update.id == reportID)
            #expect(reported.steps.map(\.step) == [.observed, .answered])
            #expect(overview.reports.count == 1)
            #expect(overview.packages.isEmpty)
        }
    }

    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
