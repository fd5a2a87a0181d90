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

/// Seguimiento: activities' progress reported with evidence and kept as history; the commitment
/// rolls up on the IRM scale; all of it public, with no account, once the plan is sealed.
@Suite struct ProgressTests {
    @Test(arguments: TestDatabase.all)
    func reportedProgressRollsUpAndIsPublicOnceThePlanIsSealed(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let anyone = APIClient(app: app, token: nil)
            let exerciseID = setup.fixture.exercise.id!
            let hidden = try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress")
            #expect(hidden.status == .notFound, "not public before the plan is signed")
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            // Read once before the reports: the public answer is cached until the next write.
            let before = try JSONDecoder.api.decode(
                PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            #expect(before.commitments.allSatisfy { $0.completion == .noEvidence })
            _ = try await Browser(app: app).get("/public/exercises/\(exerciseID)")

            let activity = try #require(
                try await Activity.query(on: app.db).with(\.$commitment).all()
                    .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
            let path = "/api/v1/activities/\(activity.id!)/progress"
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            for bad in [
                #"{"status": "inProgress", "progress": 140}"#, #"{"status": "completed", "progress": 50}"#,
                #"{"status": "inProgress", "progress": 30, "evidenceUrl": "javascript:alert(1)"}"#, #"{"status": "hecho", "progress": 10}"#,
            ] {
                let refused = try await institution.send(.POST, path, json: bad)
                #expect(refused.status == .unprocessableEntity, "\(bad)")
            }
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "bad reports change nothing")
            let outsider = APIClient(app: app, token: try await AccountOperations.createToken(email: setup.fixture.outsider.email, name: "t", on: app.useCases))
            #expect(try await outsider.send(.POST, path, json: #"{"status": "inProgress", "progress": 10}"#).status == .notFound)

            #expect(
                try await institution.send(
                    .POST, path,
                    json: """
                        {"status": "inProgress", "progress": 40, "note": "Primer conjunto publicado", "evidenceUrl": "https://datos.jalisco.gob.mx/contrataciones"}
                        """
                ).status == .created)
            clock.advance(by: 60)
            let completed = try await institution.send(.POST, path, json: #"{"status": "completed", "progress": 100, "note": "Publicación completa"}"#)
            #expect(completed.status == .created)
            // Complete once civil society verified the report that completes it.
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            let report = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: completed.body)
            #expect(try await lucia.send(.POST, "/api/v1/activity-updates/\(report.id)/verification", json: #"{"verdict": "verified"}"#).status == .ok)

            // Many readers at once after a write: one rebuilds the cached answer, none gets the old one.
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 { group.addTask { try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body.string } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(bodies.count == 40 && bodies.allSatisfy { $0.contains("Publicación completa") })
            let progress = try JSONDecoder.api.decode(
                PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            let procurement = try #require(progress.commitments.first { $0.category == .procurement })
            #expect(procurement.progress == 100)
            #expect(procurement.completion == .complete)
            #expect(procurement.activities[0].history.map(\.progress) == [40, 100])
            #expect(procurement.activities[0].history[0].evidenceUrl == "https://datos.jalisco.gob.mx/contrataciones")
            #expect(progress.commitments.filter { $0.category != .procurement }.allSatisfy { $0.completion == .noEvidence })
            #expect(progress.progress == 20, "five commitments, one complete")
            #expect(progress.timeline.map(\.progress) == [20], "sealed and reported this month")

            let page = try await Browser(app: app).get("/public/exercises/\(exerciseID)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<svg role=\"img\""))
            #expect(page.body.string.contains("Completo"))
            #expect(page.body.string.contains("Primer conjunto publicado"))
            #expect(page.body.string.contains("<caption>Datos de la gráfica: avance general del plan al cierre de cada mes</caption>"))
            #expect(page.body.string.contains("<td>noviembre de 2026</td><td>20 %</td>"))
            let index = try await Browser(app: app).get("/public").body.string
            #expect(index.contains("/public/exercises/\(exerciseID)"))
            #expect(index.contains("<td>20 %</td>"), "the index takes each activity's latest report (100), not its first (40)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePublicFollowUpShowsTheSealedPlanNotTheEditsMadeSince(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            let commitments = try JSONDecoder.api.decode(
                [CommitmentDTO].self,
                from: try await setup.facilitator.send(.GET, "/api/v1/exercises/\(exerciseID)/commitments").body)
            let renamed = try #require(commitments.first { $0.title == "Padrón único de beneficiarios" })
            var edit = renamed
            edit.title = "Padrón único de beneficiarios y apoyos (borrador)"
            let encoder = JSONEncoder()
            let put = try await setup.facilitator.send(
                .PUT, "/api/v1/commitments/\(renamed.id!)", json: String(decoding: try encoder.encode(edit), as: UTF8.self))
            #expect(put.status == .ok, "\(put.body.string)")
            let draft = try await setup.facilitator.send(
                .POST, "/api/v1/exercises/\(exerciseID)/commitments",
                json: """
                    {"title": "Presupuesto participativo de Tlaquepaque", "category": "local", "problem": "Obras sin consulta", "objective": "Consultar el 100 % de las obras",
                     "startsOn": "2027-02-01", "endsOn": "2027-11-30", "leadInstitution": "Gobierno de Tlaquepaque"}
                    """)
            #expect(draft.status == .created, "\(draft.body.string)")
            let removed = try #require(commitments.first { $0.title == "Tablero de abasto por unidad médica" })
            #expect(try await setup.facilitator.send(.DELETE, "/api/v1/commitments/\(removed.id!)?revision=\(removed.revision)").status.code < 300)
            let sealedActivity = try #require(commitments.first { $0.title == "Contrataciones abiertas de la Secretaría de Salud" }?.activities.first)
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            #expect(
                try await institution.send(
                    .POST, "/api/v1/activities/\(sealedActivity.id!)/progress",
                    json: """
                        {"status": "inProgress", "progress": 40, "note": "Primer conjunto publicado en el portal"}
                        """
                ).status == .created)
            // What was reported is public history: neither the activity nor its commitment is deleted under it.
            let procurement = try #require(commitments.first { $0.id == sealedActivity.commitmentId })
            let reportedRevision = try #require(try await Activity.find(sealedActivity.id, on: app.db)).revision
            for path in [
                "/api/v1/commitments/\(procurement.id!)?revision=\(procurement.revision)",
                "/api/v1/activities/\(sealedActivity.id!)?revision=\(reportedRevision)",
            ] {
                let kept = try await setup.facilitator.send(.DELETE, path)
                #expect(kept.status == .conflict, "\(path)")
                #expect(try SigningFlowTests.problem(kept)["code"] as? String == "progress_reported")
            }

            let anyone = APIClient(app: app, token: nil)
            let progress = try JSONDecoder.api.decode(
                PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            let sealedTitles = commitments.map(\.title).sorted()
            #expect(progress.commitments.map(\.title).sorted() == sealedTitles, "the five commitments as sealed")
            let reported = try #require(progress.commitments.flatMap(\.activities).first { $0.id == sealedActivity.id })
            #expect(reported.progress == 40)
            #expect(reported.history.map(\.note) == ["Primer conjunto publicado en el portal"])
            let page = try await Browser(app: app).get("/public/exercises/\(exerciseID)").body.string
            let csv = try await anyone.send(.GET, "/open-data/\(exerciseID)/commitments.csv").body.string
            let json = try await anyone.send(.GET, "/open-data/\(exerciseID)/commitments.json").body.string
            for output in [page, csv, json] {
                #expect(output.contains("Padrón único de beneficiarios") && output.contains("Tablero de abasto por unidad médica"))
                #expect(!output.contains("(borrador)") && !output.contains("Presupuesto participativo de Tlaquepaque"))
            }
            #expect(page.contains("Primer conjunto publicado en el portal"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyTheInstitutionAndTheFacilitationReportProgress(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let activity = try #require(try await Activity.query(on: app.db).first())
            let report = #"{"status": "inProgress", "progress": 30, "note": "Avance de la mesa de seguimiento"}"#
            for member in ["civilSociety", "guarantor"] {
                let refused = try await APIClient(app: app, token: setup.fixture.members[member]!.token)
                    .send(.POST, "/api/v1/activities/\(activity.id!)/progress", json: report)
                #expect(refused.status == .forbidden, "\(member)")
                #expect(try SigningFlowTests.problem(refused)["code"] as? String == "forbidden")
            }
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "a refused report is not published")
            for token in [setup.fixture.members["institution"]!.token, setup.fixture.members["facilitator"]!.token, setup.fixture.administrator.token] {
                #expect(try await APIClient(app: app, token: token).send(.POST, "/api/v1/activities/\(activity.id!)/progress", json: report).status == .created)
            }

            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            let lucia = Browser(app: app)
            _ = try await lucia.signIn(email: setup.fixture.members["civilSociety"]!.email, password: Fixture.password)
            #expect(!(try await lucia.get("/exercises/\(exerciseID)/plan").body.string.contains("Reportar el avance de una actividad")))
            let form = try await lucia.postMultipart(
                "/exercises/\(exerciseID)/plan/activities/\(activity.id!)/progress",
                fields: [("status", "inProgress"), ("progress", "90")], file: nil)
            #expect(form.status == .forbidden)
            let institution = Browser(app: app)
            _ = try await institution.signIn(email: setup.fixture.members["institution"]!.email, password: Fixture.password)
            #expect(try await institution.get("/exercises/\(exerciseID)/plan").body.string.contains("Reportar el avance de una actividad"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 3)
        }
    }
}

extension EvidenceFileTests {
    @Test func hostileEvidenceUploadsAreRefusedAndChangeNothing() async throws {
        // A debug build reads a 20 MB multipart body slowly, more so on a loaded machine: the request
        // deadline here is not what is tested, so it may not cut the answer.
        try await withCocrea(.sqlite, adjust: { $0.requestDeadline = .seconds(600) }) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            let activity = try #require(try await Activity.query(on: app.db).first())
            let api = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            func send(_ name: String, _ bytes: [UInt8]) async throws -> TestingHTTPResponse {
                let (headers, body) = MultipartForm.encode(
                    fields: [("status", "inProgress"), ("progress", "20")],
                    file: (field: "file", name: name, type: "application/pdf", data: bytes))
                return try await api.send(.POST, "/api/v1/activities/\(activity.id!)/progress", headers: headers, body: body)
            }
            let pdf = Array("%PDF-1.4\n".utf8)
            let tooBig = try await send("informe.pdf", pdf + [UInt8](repeating: 0x20, count: UploadPolicy.maximumBytes))
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.body.string.contains("file_too_large"))
            #expect(tooBig.body.string.contains("el máximo es 20 MB"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "nothing stored")

            let tricked = try await send("../../etc/passwd.pdf", pdf + Array("%%EOF\n".utf8))
            #expect(tricked.status == .created)
            #expect(try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: tricked.body).evidenceFile?.name == "passwd.pdf")
        }
    }
}

/// A commitment's progress weighs its activities as agreed at the table (1 each: the average).
@Suite struct ActivityWeightTests {
    @Test(arguments: TestDatabase.all)
    func aCommitmentWeighsItsActivitiesAsAgreed(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let unweighted = try #require(try await PlanVersion.find(setup.version.id, on: app.db))
            #expect(!unweighted.content.contains("\"weight\""), "a plan agreed without weights reads as before")
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let procurement = try #require(try await Commitment.query(on: app.db).filter(\.$category == .procurement).first())
            let path = "/api/v1/commitments/\(procurement.id!)/activities"
            for weight in [0, 101] {
                let refused = try await setup.facilitator.send(
                    .POST, path,
                    json: """
                        {"title": "Publicar las adjudicaciones directas", "responsible": "Dra. María Fernanda López Castañeda", "dueOn": "2027-06-30", "weight": \(weight)}
                        """)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("La ponderación va de 1 a 100"))
            }
            let created = try await setup.facilitator.send(
                .POST, path,
                json: """
                    {"title": "Publicar las adjudicaciones directas", "responsible": "Dra. María Fernanda López Castañeda", "responsibleInstitution": "Secretaría de Salud Jalisco", "dueOn": "2027-06-30", "weight": 3}
                    """)
            #expect(created.status == .created, "\(created.body.string)")
            let activity = try JSONDecoder.api.decode(ActivityDTO.self, from: created.body)
            #expect(activity.weight == 3)

            // The new activity reaches the public follow-up with the version that agrees it, once sealed.
            let resealed = try #require(try await PlanVersion.query(on: app.db).sort(\.$number, .descending).first())
            let second = SigningFlowTests.Setup(
                fixture: setup.fixture, facilitator: setup.facilitator, version: PlanVersionDTO(resealed),
                versionPath: "/api/v1/plan-versions/\(resealed.id!)")
            _ = try await setup.facilitator.send(.POST, second.versionPath + "/conformity/close")
            #expect(try await SigningFlowTests.paperCopy(second).status == .ok)
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            let completed = try await institution.send(.POST, "/api/v1/activities/\(activity.id!)/progress", json: #"{"status": "completed", "progress": 100}"#)
            #expect(completed.status == .created)
            let report = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: completed.body)
            #expect(
                try await APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
                    .send(.POST, "/api/v1/activity-updates/\(report.id)/verification", json: #"{"verdict": "verified"}"#).status == .ok)
            let progress = try JSONDecoder.api.decode(
                PublicProgressDTO.self,
                from: try await APIClient(app: app, token: nil)
                    .send(.GET, "/api/v1/public/exercises/\(setup.fixture.exercise.id!)/progress").body)
            let commitment = try #require(progress.commitments.first { $0.id == procurement.id })
            #expect(commitment.activities.map(\.weight).sorted() == [1, 3])
            #expect(commitment.progress == 75, "(100 × 3 + 0 × 1) / 4")
            #expect(commitment.completion == .substantial)
            let page = try await Browser(app: app).get("/public/exercises/\(setup.fixture.exercise.id!)")
            #expect(page.body.string.contains("<th scope=\"col\">Ponderación</th>"))
        }
    }
}

/// Evidence as files: checked like the dossier's uploads, kept with the report, downloadable by anyone
/// once the plan is public, and named in the open data.
@Suite struct EvidenceFileTests {
    static let minutesPDF = Array("%PDF-1.4\n% Minuta de la sesión de seguimiento, Guadalajara\n%%EOF\n".utf8)

    @Test(arguments: TestDatabase.all)
    func evidenceFilesAreCheckedKeptAndPublic(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let activity = try #require(
                try await Activity.query(on: app.db).with(\.$commitment).all()
                    .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
            let institution = setup.fixture.members["institution"]!
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: institution.email, password: Fixture.password).status == .seeOther)
            let planPage = try await browser.get("/exercises/\(exerciseID)/plan")
            #expect(planPage.body.string.contains("enctype=\"multipart/form-data\""))
            let storedBefore = try await StoredFile.query(on: app.db).count()

            let formPath = "/exercises/\(exerciseID)/plan/activities/\(activity.id!)/progress"
            let fields = [("status", "inProgress"), ("progress", "60"), ("note", "Minuta firmada de la sesión"), ("evidenceUrl", "")]
            for (name, bytes, code) in [
                ("minuta.exe", Self.minutesPDF, "file_type_not_allowed"), ("minuta.pdf", Array("MZ\u{90}binario".utf8), "file_content_mismatch"),
            ] {
                let refused = try await browser.postMultipart(
                    formPath, fields: fields, file: (field: "file", name: name, type: "application/octet-stream", data: bytes))
                #expect(refused.status == .unsupportedMediaType, "\(name) → \(code)")
            }
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "a refused file changes nothing")
            #expect(try await StoredFile.query(on: app.db).count() == storedBefore)

            let reported = try await browser.postMultipart(
                formPath, fields: fields, file: (field: "file", name: "minuta-seguimiento.pdf", type: "application/pdf", data: Self.minutesPDF))
            #expect(reported.status == .ok)
            #expect(reported.body.string.contains("Quedó registrado el avance"))

            // The API takes the same report as multipart, a minute later.
            clock.advance(by: 60)
            let (headers, body) = MultipartForm.encode(
                fields: [("status", "completed"), ("progress", "100"), ("note", "Tablero publicado")],
                file: (field: "file", name: "tablero.csv", type: "text/csv", data: Array("folio,monto\r\nLA-914-2026,1250000".utf8)))
            let api = try await APIClient(app: app, token: institution.token).send(
                .POST, "/api/v1/activities/\(activity.id!)/progress",
                headers: headers, body: body)
            #expect(api.status == .created, "\(api.body.string)")
            let created = try JSONDecoder.api.decode(ActivityUpdateDTO.self, from: api.body)
            #expect(created.evidenceFile?.name == "tablero.csv")
            #expect(created.evidenceFile?.mediaType == "text/csv")

            let anyone = APIClient(app: app, token: nil)
            let progress = try JSONDecoder.api.decode(
                PublicProgressDTO.self, from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/progress").body)
            let history = try #require(progress.commitments.flatMap(\.activities).first { $0.id == activity.id })?.history
            let minutes = try #require(history?.first?.evidenceFile)
            #expect(minutes.name == "minuta-seguimiento.pdf")
            #expect(minutes.size == Self.minutesPDF.count)
            #expect(minutes.sha256 == Hashing.sha256Hex(Data(Self.minutesPDF)))

            let download = try await anyone.send(.GET, minutes.url)
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == Self.minutesPDF)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            let elsewhere = setup.fixture.otherExercise.id!.uuidString.lowercased()
            #expect(try await anyone.send(.GET, minutes.url.replacingOccurrences(of: exerciseID, with: elsewhere)).status == .notFound)

            let page = try await Browser(app: app).get("/public/exercises/\(exerciseID)")
            #expect(page.body.string.contains("href=\"\(minutes.url)\""))
            #expect(page.body.string.contains("minuta-seguimiento.pdf (\(Self.minutesPDF.count) bytes)"))
            let csv = try await anyone.send(.GET, "/open-data/\(exerciseID)/progress-history.csv").body.string
            #expect(csv.contains(app.options.baseURL + minutes.url))
            #expect(csv.contains(minutes.sha256))
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
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)

            let commitments = try await anyone.send(.GET, "/open-data/\(exerciseID)/commitments.csv")
            #expect(commitments.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(commitments.body.string.split(separator: "\r\n").count == 6, "a header and five commitments")
            let signatures =
                try JSONSerialization.jsonObject(with: Data(buffer: try await anyone.send(.GET, "/open-data/\(exerciseID)/signatures.json").body))
                as! [[String: String]]
            #expect(signatures.count == 4)
            #expect(signatures.allSatisfy { $0["method"] == "paper" && $0["ipAddress"] == nil })
            let dictionary = try await anyone.send(.GET, "/open-data/\(exerciseID)/diccionario.json")
            #expect(dictionary.body.string.contains("progress-history"))
            #expect(try await anyone.send(.GET, "/open-data/\(exerciseID)/nada.csv").status == .notFound)

            let activities = try await anyone.send(.GET, "/open-data/\(exerciseID)/activities.csv").body.string
            var lines = activities.split(separator: "\r\n").map(String.init)
            let header = lines.removeFirst().split(separator: ",").map(String.init)
            let statusColumn = try #require(header.firstIndex(of: "status"))
            let progressColumn = try #require(header.firstIndex(of: "progress"))
            func edited(_ line: String, status: String, progress: String) -> String {
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[statusColumn] = status
                fields[progressColumn] = progress
                return fields.joined(separator: ",")
            }
            let broken =
                ([header.joined(separator: ",")] + [
                    edited(lines[0], status: "inProgress", progress: "50"), edited(lines[1], status: "completed", progress: "20"),
                ])
                .joined(separator: "\r\n")
            let refused = try await setup.facilitator.send(
                .POST, "/api/v1/exercises/\(exerciseID)/progress/import", headers: ["Content-Type": "text/csv"], body: ByteBuffer(string: broken))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Fila 3"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0, "nothing half-applied")

            let good = ([header.joined(separator: ",")] + lines.map { edited($0, status: "inProgress", progress: "50") }).joined(separator: "\r\n")
            let imported = try await setup.facilitator.send(
                .POST, "/api/v1/exercises/\(exerciseID)/progress/import", headers: ["Content-Type": "text/csv"], body: ByteBuffer(string: good))
            #expect(imported.status == .ok, "\(imported.body.string)")
            #expect(imported.body.string.contains("\"imported\":5"))
            #expect(try await ActivityUpdate.query(on: app.db).count() == 5)
            let history = try await anyone.send(.GET, "/open-data/\(exerciseID)/progress-history.csv").body.string
            #expect(history.split(separator: "\r\n").count == 6)
        }
    }
}
