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
            // Read once before the reports: the public answer is cached until the next write.
            let before = try JSONDecoder.api.decode(PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            #expect(before.commitments.allSatisfy { $0.completion == .noEvidence })
            _ = try await Browser(app: app).get("/public/exercises/\(exerciseID)")

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

/// Open data once the plan is sealed: CSV and JSON with a dictionary, and the CSV brought back.
@Suite struct OpenDataWebTests {
    @Test(arguments: TestDatabase.all)
    func datasetsArePublicAndTheActivitiesCSVImportsBackAllOrNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            let anyone = APIClient(app: app, token: nil)
            #expect(try await anyone.send(.GET, "/open-data/\(exerciseID)/commitments.csv").status == .notFound, "private before sealing")
            let scan = SigningFlowTests.multipart(Data("%PDF-1.4\n%%EOF\n".utf8), name: "pal.pdf")
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/paper-copy", headers: scan.0, body: scan.1)

            let commitments = try await anyone.send(.GET, "/open-data/\(exerciseID)/commitments.csv")
            #expect(commitments.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(commitments.body.string.split(separator: "\r\n").count == 6, "a header and five commitments")
            let signatures = try JSONSerialization.jsonObject(with: Data(buffer: try await anyone.send(.GET, "/open-data/\(exerciseID)/signatures.json").body)) as! [[String: String]]
            #expect(signatures.count == 4)
            #expect(signatures.allSatisfy { $0["method"] == "paper" && $0["ipAddress"] == nil })
            let dictionary = try await anyone.send(.GET, "/open-data/\(exerciseID)/diccionario.json")
            #expect(dictionary.body.string.contains("progress-history"))
            #expect(try await anyone.send(.GET, "/open-data/\(exerciseID)/nada.csv").status == .notFound)

            let activities = try await anyone.send(.GET, "/open-data/\(exerciseID)/activities.csv").body.string
            var lines = activities.split(separator: "\r\n").map(String.init)
            let header = lines.removeFirst().split(separator: ",").map(String.init)
            let statusColumn = try #require(header.firstIndex(of: "status")), progressColumn = try #require(header.firstIndex(of: "progress"))
            func edited(_ line: String, status: String, progress: String) -> String {
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[statusColumn] = status
                fields[progressColumn] = progress
                return fields.joined(separator: ",")
            }
            let broken = ([header.joined(separator: ",")] + [edited(lines[0], status: "inProgress", progress: "50"), edited(lines[1], status: "completed", progress: "20")])
                .joined(separator: "\r\n")
            let refused = try await setup.facilitator.send(.POST, "/api/v1/exercises/\(exerciseID)/progress/import", headers: ["Content-Type": "text/csv"], body: ByteBuffer(string: broken))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Fila 3"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "nothing half-applied")

            let good = ([header.joined(separator: ",")] + lines.map { edited($0, status: "inProgress", progress: "50") }).joined(separator: "\r\n")
            let imported = try await setup.facilitator.send(.POST, "/api/v1/exercises/\(exerciseID)/progress/import", headers: ["Content-Type": "text/csv"], body: ByteBuffer(string: good))
            #expect(imported.status == .ok, "\(imported.body.string)")
            #expect(imported.body.string.contains("\"imported\":5"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 5)
            let history = try await anyone.send(.GET, "/open-data/\(exerciseID)/progress-history.csv").body.string
            #expect(history.split(separator: "\r\n").count == 6)
        }
    }
}
