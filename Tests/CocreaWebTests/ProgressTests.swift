import CocreaCore
import CocreaStore
import CocreaTestSupport
@testable import CocreaWeb
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Seguimiento: activities' progress reported with evidence and kept as history; the commitment
/// rolls up on the IRM scale; all of it public, with no account, once the plan is sealed.
@Suite struct ProgressTests {
    @Test(arguments: TestDatabase.all)
    func reportedProgressRollsUpAndIsPublicOnceThePlanIsSealed(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let anyone = APIClient(app: app, token: nil)
            let exerciseID = setup.fixture.exercise.id!
            let hidden = try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress")
            #expect(hidden.status == .notFound, "not public before the plan is signed")
            let scan = SigningFlowTests.multipart(Data("%PDF-1.4\n%%EOF\n".utf8), name: "pal.pdf")
            #expect(try await setup.facilitator.send(.POST, setup.versionPath + "/paper-copy", headers: scan.0, body: scan.1).status == .ok)

            let activity = try #require(try await Activity.query(on: app.db).with(\.$commitment).all()
                .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
            let path = "/api/v1/activities/\(activity.id!)/progress"
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            for bad in [#"{"status": "inProgress", "progress": 140}"#, #"{"status": "completed", "progress": 50}"#,
                        #"{"status": "inProgress", "progress": 30, "evidenceUrl": "javascript:alert(1)"}"#, #"{"status": "hecho", "progress": 10}"#] {
                let refused = try await institution.send(.POST, path, json: bad)
                #expect(refused.status == .unprocessableEntity, "\(bad)")
            }
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "bad reports change nothing")
            let outsider = APIClient(app: app, token: try await AccountOperations.createToken(email: setup.fixture.outsider.email, name: "t", on: app))
            #expect(try await outsider.send(.POST, path, json: #"{"status": "inProgress", "progress": 10}"#).status == .notFound)

            #expect(try await institution.send(.POST, path, json: """
                {"status": "inProgress", "progress": 40, "note": "Primer conjunto publicado", "evidenceUrl": "https://datos.jalisco.gob.mx/contrataciones"}
                """).status == .created)
            #expect(try await institution.send(.POST, path, json: #"{"status": "completed", "progress": 100, "note": "Publicación completa"}"#).status == .created)

            let progress = try JSONDecoder.api.decode(PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            let procurement = try #require(progress.commitments.first { $0.category == .procurement })
            #expect(procurement.progress == 100)
            #expect(procurement.completion == .complete)
            #expect(procurement.activities[0].history.map(\.progress) == [40, 100])
            #expect(procurement.activities[0].history[0].evidenceUrl == "https://datos.jalisco.gob.mx/contrataciones")
            #expect(progress.commitments.filter { $0.category != .procurement }.allSatisfy { $0.completion == .noEvidence })
            #expect(progress.progress == 20, "five commitments, one complete")

            let page = try await Browser(app: app).get("/public/exercises/\(exerciseID)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<svg role=\"img\""))
            #expect(page.body.string.contains("Completo"))
            #expect(page.body.string.contains("Primer conjunto publicado"))
            #expect(try await Browser(app: app).get("/public").body.string.contains("/public/exercises/\(exerciseID)"))
        }
    }
}
