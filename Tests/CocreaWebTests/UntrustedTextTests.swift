import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// What anyone types reaches other people's mail, spreadsheets and signed PDFs: a single-line field
/// stays one line, no name reorders itself, and no CSV cell runs as a spreadsheet formula.
@Suite struct UntrustedTextTests {
    static func lines(_ csv: String) -> [String] { csv.components(separatedBy: "\r\n").filter { !$0.isEmpty } }

    @Test(arguments: TestDatabase.all)
    func aDossierTitleWithLineBreaksCannotForgeALineInTheMembersEmail(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let base = "/api/v1/exercises/\(fixture.exercise.id!)"
            let created = try await facilitator.send(
                .POST, base + "/dossier/items",
                json: """
                    {"kind": "problem", "title": "Informe\\n\\nDescarga aquí: http://falso.example", "body": "Recetas surtidas de forma incompleta.\\nSegundo párrafo."}
                    """)
            #expect(created.status == .created, "\(created.body.string)")
            let item = try JSONDecoder.api.decode(DossierItemDTO.self, from: created.body)
            #expect(item.title == "Informe Descarga aquí: http://falso.example")
            #expect(item.body == "Recetas surtidas de forma incompleta.\nSegundo párrafo.", "a description keeps its lines")
            #expect(try await facilitator.send(.POST, base + "/dossier/distributions").status == .created)

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer,
                configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { app.options.now() })
            #expect(await worker.drain() == 4)
            for mail in try await sink.waitForMessages(count: 4) {
                let body = try #require(mail.textBody).components(separatedBy: .newlines)
                #expect(body.contains { $0.hasPrefix("• ") && $0.hasSuffix("Informe Descarga aquí: http://falso.example") })
                #expect(!body.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Descarga aquí") }, "no forged line")
            }
        }
    }

    @Test func bidirectionalControlsLeaveMemberNamesAndFileNames() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let base = "/api/v1/exercises/\(fixture.exercise.id!)"
            let invited = try await facilitator.send(
                .POST, base + "/members",
                json: """
                    {"name": "Rosa Elena\u{202E} Ortiz Medina", "email": "rosa.ortiz@redmujeres.example", "sector": "civilSociety",
                     "organization": "Red de Mujeres\u{2067} por la Transparencia A.C.\u{2069}"}
                    """)
            #expect(invited.status == .created, "\(invited.body.string)")
            let member = try JSONDecoder.api.decode(MemberDTO.self, from: invited.body)
            #expect(member.name == "Rosa Elena Ortiz Medina")
            #expect(member.organization == "Red de Mujeres por la Transparencia A.C.")

            // The page's form goes through the same rule.
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password)
            let page = "/exercises/\(fixture.exercise.id!)/members"
            _ = try await browser.get(page)
            let posted = try await browser.post(
                page,
                form: [
                    ("name", "Ernesto\u{2028}Cruz\u{202E} Santiago"), ("email", "ernesto.cruz@oaxaca-abierto.example"),
                    ("sector", "civilSociety"), ("organization", "Oaxaca Abierto\r\nA.C."),
                ])
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let stored = try #require(try await Member.query(on: app.db).filter(\.$email == "ernesto.cruz@oaxaca-abierto.example").first())
            #expect(stored.name == "Ernesto Cruz Santiago")
            #expect(stored.organization == "Oaxaca Abierto A.C.")

            let pdf = SimplePDF.document(title: "Informe", lines: ["Informe trimestral de abasto"])
            let (headers, body) = MultipartForm.encode(
                fields: [("kind", "problem"), ("title", "Informe trimestral")],
                file: (field: "file", name: "Informe\u{202E}fdp.exe.pdf", type: "application/pdf", data: Array(pdf)))
            let uploaded = try await facilitator.send(.POST, base + "/dossier/items", headers: headers, body: body)
            #expect(uploaded.status == .created, "\(uploaded.body.string)")
            #expect(try JSONDecoder.api.decode(DossierItemDTO.self, from: uploaded.body).file?.name == "Informefdp.exe.pdf")
        }
    }

    @Test(arguments: TestDatabase.all)
    func surveyAnswersThatAreFormulasAreNeutralisedInResponsesCSV(database: TestDatabase) async throws {
        try await withCocrea(database, surveyRateLimit: 0) { app in
            let setup = try await SurveyFlowTests.survey(app)
            for place in [#"=HYPERLINK(\"http://x\",\"clic\")"#, "@SUM(A1)"] {
                let answered = try await SurveyFlowTests.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "\#(place)"}"#)
                #expect(answered.status == .created, "\(answered.body.string)")
            }
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: setup.fixture.members["institution"]!.email, password: Fixture.password)
            let csv = try await browser.get("/exercises/\(setup.exerciseID)/surveys/\(setup.surveyID)/responses.csv").body.string
            let rows = Self.lines(csv).dropFirst()
            #expect(rows.contains { $0.hasSuffix(#",Sí,,,"'=HYPERLINK(""http://x"",""clic"")""#) })
            #expect(rows.contains { $0.hasSuffix(",Sí,,,'@SUM(A1)") })
            #expect(!csv.contains(",=") && !csv.contains(",@") && !csv.contains(#","=HYPERLINK"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aConformityReasonAndAProgressNoteAreNeutralisedInOpenData(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app, closeConformity: false)
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(
                try await lucia.send(
                    .POST, setup.versionPath + "/conformity",
                    json: """
                        {"stance": "disagree", "reason": "=HYPERLINK(\\"http://falso.example\\",\\"Ver el anexo\\")"}
                        """
                ).status == .created)
            #expect(try await setup.facilitator.send(.POST, setup.versionPath + "/conformity/close").status == .ok)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let activity = try #require(try await Activity.query(on: app.db).first())
            let reported = try await setup.facilitator.send(
                .POST, "/api/v1/activities/\(activity.id!)/progress",
                json: """
                    {"status": "inProgress", "progress": 40, "note": "@SUM(A1) del primer corte"}
                    """)
            #expect(reported.status == .created, "\(reported.body.string)")

            let anyone = APIClient(app: app, token: nil)
            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            let conformity = try await anyone.send(.GET, "/open-data/\(exerciseID)/conformity.csv").body.string
            #expect(conformity.contains(#",disagree,"'=HYPERLINK(""http://falso.example"",""Ver el anexo"")","#))
            let history = try await anyone.send(.GET, "/open-data/\(exerciseID)/progress-history.csv").body.string
            #expect(history.contains(",inProgress,40,'@SUM(A1) del primer corte,"), "the progress stays a number")
            let activities = try await anyone.send(.GET, "/open-data/\(exerciseID)/activities.csv").body.string
            #expect(activities.contains(",inProgress,40,'@SUM(A1) del primer corte,"))
            let json = try await anyone.send(.GET, "/open-data/\(exerciseID)/progress-history.json").body.string
            #expect(json.contains(#""note":"@SUM(A1) del primer corte""#), "JSON carries the value as stored")
            let dictionary = try await anyone.send(.GET, "/open-data/\(exerciseID)/diccionario.json").body.string
            #expect(dictionary.contains("lleva un apóstrofo (') al inicio"))

            // The activities CSV brought back as it was downloaded: the note comes back without the apostrophe.
            let imported = try await setup.facilitator.send(
                .POST, "/api/v1/exercises/\(exerciseID)/progress/import",
                headers: ["Content-Type": "text/csv"], body: ByteBuffer(string: activities))
            #expect(imported.status == .ok, "\(imported.body.string)")
            let notes = try await ActivityUpdate.query(on: app.db).filter(\.$activity.$id == activity.id!).all().map(\.note)
            #expect(notes == ["@SUM(A1) del primer corte", "@SUM(A1) del primer corte"])
        }
    }
}
