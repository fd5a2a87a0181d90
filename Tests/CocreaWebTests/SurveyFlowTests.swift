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

/// Public consultation surveys end to end: the institution builds and publishes one, anyone answers
/// it without an account (API, page or kiosk), abuse is contained, the results become dossier findings.
@Suite struct SurveyFlowTests {
    struct Setup {
        var fixture: Fixture
        var institution: APIClient
        var anyone: APIClient
        var surveyID: String
        var exerciseID: UUID
    }

    static let surveyJSON = """
        {"title": "Abasto de medicamentos en los centros de salud",
         "description": "Cuéntanos cómo te fue en tu última consulta. Es anónima.",
         "questions": [
           {"prompt": "¿Encontraste todos tus medicamentos en la farmacia?", "kind": "singleChoice", "required": true, "options": ["Sí", "No"]},
           {"prompt": "¿Cuáles te faltaron?", "kind": "multipleChoice", "required": false, "options": ["Insulina", "Metformina", "Losartán"]},
           {"prompt": "¿Cómo calificas la atención en la farmacia?", "kind": "scale", "required": false},
           {"prompt": "¿En qué centro de salud te atendieron?", "kind": "shortText", "required": false, "options": []}
         ]}
        """

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func list(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }

    static func fields(_ problem: [String: Any]) -> [String] {
        (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    static func storedResponses(_ app: Application) async throws -> Int {
        try await SurveyResponse.query(on: app.db).count()
    }

    /// The fixture and a survey the institution created (a draft unless `publish`).
    static func survey(_ app: Application, publish: Bool = true) async throws -> Setup {
        let fixture = try await Fixture.make(on: app)
        let institution = APIClient(app: app, token: fixture.members["institution"]!.token)
        let created = try await institution.send(.POST, "/api/v1/exercises/\(fixture.exercise.id!)/surveys", json: surveyJSON)
        #expect(created.status == .created, "\(created.body.string)")
        let id = try #require(try json(created)["id"] as? String)
        if publish {
            let published = try await institution.send(.POST, "/api/v1/surveys/\(id)/publish")
            #expect(published.status == .ok, "\(published.body.string)")
        }
        return Setup(
            fixture: fixture, institution: institution, anyone: APIClient(app: app, token: nil), surveyID: id,
            exerciseID: fixture.exercise.id!)
    }

    static func answer(_ api: APIClient, _ surveyID: String, _ answers: String, extra: String = "") async throws -> TestingHTTPResponse {
        try await api.send(.POST, "/api/v1/surveys/\(surveyID)/responses", json: #"{"answers": \#(answers)\#(extra)}"#)
    }

    /// A form posted by a browser from Cocrea's own page (or from another site), without a session.
    static func form(
        _ app: Application, _ path: String, _ body: String, site: String? = "same-origin", origin: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        if let site { headers.replaceOrAdd(name: "Sec-Fetch-Site", value: site) }
        if let origin {
            headers.replaceOrAdd(name: .origin, value: origin)
            headers.replaceOrAdd(name: .host, value: "127.0.0.1:8080")
        }
        return try await APIClient(app: app, token: nil).send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    // MARK: The API

    @Test(arguments: TestDatabase.all)
    func theInstitutionBuildsAPublicSurveyAndItsResultsBecomeAFinding(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let exercise = fixture.exercise.id!
            let institution = APIClient(app: app, token: fixture.members["institution"]!.token)
            let lucia = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            let anyone = APIClient(app: app, token: nil)

            let refused = try await lucia.send(.POST, "/api/v1/exercises/\(exercise)/surveys", json: Self.surveyJSON)
            #expect(refused.status == .forbidden, "civil society does not run the institution's consultation")
            #expect(try await anyone.send(.POST, "/api/v1/exercises/\(exercise)/surveys", json: Self.surveyJSON).status == .unauthorized)

            let invalid = try await institution.send(
                .POST, "/api/v1/exercises/\(exercise)/surveys",
                json: """
                    {"title": "", "questions": [{"prompt": "¿Sí o no?", "kind": "singleChoice", "options": ["Sí"]}, {"prompt": "Colonia", "kind": "texto"}]}
                    """)
            #expect(invalid.status == .unprocessableEntity)
            #expect(Self.fields(try Self.json(invalid)) == ["title", "questions[0].options", "questions[1].kind"])
            #expect(try await Survey.query(on: app.db).count() == 0)

            let created = try await institution.send(.POST, "/api/v1/exercises/\(exercise)/surveys", json: Self.surveyJSON)
            #expect(created.status == .created, "\(created.body.string)")
            let survey = try Self.json(created)
            let id = try #require(survey["id"] as? String)
            #expect(survey["status"] as? String == "draft")
            #expect((survey["questions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["p1", "p2", "p3", "p4"])
            #expect(try await lucia.send(.GET, "/api/v1/exercises/\(exercise)/surveys").status == .ok, "members see the surveys")

            // A draft is the institution's work in progress: nobody answers or sees it.
            let good = #"{"p1": "Sí", "p2": ["Insulina", "Losartán"], "p3": 4, "p4": "Centro de Salud Oblatos"}"#
            let early = try await Self.answer(anyone, id, good, extra: #", "channel": "web""#)
            #expect(early.status == .notFound)
            #expect(try await anyone.send(.GET, "/api/v1/surveys/\(id)").status == .notFound)
            #expect(try Self.list(try await anyone.send(.GET, "/api/v1/public/surveys")).isEmpty)

            let edited = try await institution.send(.PUT, "/api/v1/surveys/\(id)", json: Self.surveyJSON)
            #expect(edited.status == .ok)
            #expect(try Self.json(edited)["revision"] as? Int == 2)
            #expect(try await lucia.send(.POST, "/api/v1/surveys/\(id)/publish").status == .forbidden)
            let published = try await institution.send(.POST, "/api/v1/surveys/\(id)/publish")
            #expect(published.status == .ok)
            #expect(try Self.json(published)["status"] as? String == "published")
            #expect(
                try await institution.send(.PUT, "/api/v1/surveys/\(id)", json: Self.surveyJSON).status == .conflict,
                "a published survey's questions do not change")
            #expect(try Self.list(try await anyone.send(.GET, "/api/v1/public/surveys")).compactMap { $0["id"] as? String } == [id])
            #expect(try await anyone.send(.GET, "/api/v1/surveys/\(id)").status == .ok)

            let receipt = try await Self.answer(anyone, id, good, extra: #", "channel": "web""#)
            #expect(receipt.status == .created, "\(receipt.body.string)")
            #expect(try Self.json(receipt)["id"] is String)
            #expect(try await Self.storedResponses(app) == 1)

            let bad = try await Self.answer(anyone, id, #"{"p1": "Tal vez", "p2": ["Insulina", "Aspirina"], "p3": 6, "p4": "Oblatos", "p9": "hola"}"#)
            #expect(bad.status == .unprocessableEntity)
            let badProblem = try Self.json(bad)
            #expect(badProblem["code"] as? String == "validation_failed")
            #expect(Self.fields(badProblem) == ["p9", "p1", "p2", "p3"], "one error per question")
            let missing = try await Self.answer(anyone, id, #"{"p3": 2}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(Self.fields(try Self.json(missing)) == ["p1"])
            let empty = try await Self.answer(anyone, id, "{}")
            #expect(Self.fields(try Self.json(empty)) == ["p1"])
            let channel = try await Self.answer(anyone, id, good, extra: #", "channel": "fax""#)
            #expect(channel.status == .unprocessableEntity)
            #expect(Self.fields(try Self.json(channel)) == ["channel"])
            let robot = try await Self.answer(anyone, id, #"{"p1": "No"}"#, extra: #", "website": "https://ofertas.example""#)
            #expect(robot.status == .unprocessableEntity)
            #expect(try Self.json(robot)["code"] as? String == "suspected_automation")
            #expect(try await Self.storedResponses(app) == 1, "nothing refused is stored")

            let again = try await Self.answer(anyone, id, good, extra: #", "channel": "web""#)
            #expect(again.status == .conflict)
            #expect(try Self.json(again)["code"] as? String == "duplicate_response")
            #expect(try await Self.storedResponses(app) == 1)

            // Two more people, a little later; the order of ticked options does not matter.
            clock.advance(by: 30)
            #expect(try await Self.answer(anyone, id, #"{"p1": "No", "p2": ["Losartán", "Metformina"], "p3": 2}"#).status == .created)
            clock.advance(by: 30)
            #expect(
                try await Self.answer(anyone, id, #"{"p1": "No", "p3": 5, "p4": "Centro de Salud Tonalá"}"#, extra: #", "channel": "kiosk""#).status == .created
            )

            #expect(try await lucia.send(.GET, "/api/v1/surveys/\(id)/results").status == .ok, "every member reads the results")
            #expect(try await anyone.send(.GET, "/api/v1/surveys/\(id)/results").status == .unauthorized)
            let results = try Self.json(try await institution.send(.GET, "/api/v1/surveys/\(id)/results"))
            #expect(results["responseCount"] as? Int == 3)
            let questions = try #require(results["questions"] as? [[String: Any]])
            func counts(_ index: Int) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: (questions[index]["options"] as? [[String: Any]] ?? []).map { ($0["label"] as! String, $0["count"] as! Int) })
            }
            #expect(counts(0) == ["Sí": 1, "No": 2])
            #expect(questions[1]["answered"] as? Int == 2)
            #expect(counts(1) == ["Insulina": 1, "Metformina": 1, "Losartán": 2])
            #expect(counts(2) == ["1": 0, "2": 1, "3": 0, "4": 1, "5": 1])
            #expect(questions[2]["mean"] as? Double == 3.7)
            #expect(questions[3]["texts"] as? [String] == ["Centro de Salud Tonalá", "Centro de Salud Oblatos"], "newest first")
            let responses = try Self.list(try await institution.send(.GET, "/api/v1/surveys/\(id)/responses"))
            #expect(responses.count == 3)
            #expect(Set(responses.compactMap { $0["channel"] as? String }) == ["web", "kiosk"])
            #expect(
                responses.contains { ($0["answers"] as? [String: Any])?["p2"] as? [String] == ["Metformina", "Losartán"] },
                "stored in the survey's order")

            #expect(try await lucia.send(.POST, "/api/v1/surveys/\(id)/findings", json: #"{"questionId": "p1"}"#).status == .forbidden)
            let unknown = try await institution.send(.POST, "/api/v1/surveys/\(id)/findings", json: #"{"questionId": "p7"}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(Self.fields(try Self.json(unknown)) == ["questionId"])
            let made = try await institution.send(.POST, "/api/v1/surveys/\(id)/findings", json: #"{"questionId": "p1"}"#)
            #expect(made.status == .created, "\(made.body.string)")
            let finding = try Self.json(made)
            #expect(finding["kind"] as? String == "consultationFinding")
            #expect(finding["title"] as? String == "Consulta pública: ¿Encontraste todos tus medicamentos en la farmacia?")
            let body = try #require(finding["body"] as? String)
            #expect(body.contains("De 3 respuestas a la encuesta «Abasto de medicamentos en los centros de salud», 3 contestaron"))
            #expect(body.contains("• No: 2 (66.7 %)"))
            #expect(body.contains("• Sí: 1 (33.3 %)"))
            #expect(body.contains("/exercises/\(exercise)/surveys/\(id)/results#p1"), "with a link to the evidence")
            #expect(finding["contributedBy"] as? String == "Dra. María Fernanda López Castañeda (Organización de Dra. María Fernanda López Castañeda)")
            let stored = try #require(try await DossierItem.query(on: app.db).filter(\.$kind == .consultationFinding).first())
            #expect(stored.body == body)
            let scale = try Self.json(try await institution.send(.POST, "/api/v1/surveys/\(id)/findings", json: #"{"questionId": "p3"}"#))
            #expect((scale["body"] as? String)?.contains("Calificación promedio: 3.7 de 5.") == true)

            // The institution's downloads.
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["institution"]!.email, password: Fixture.password)
            let csv = try await browser.get("/exercises/\(exercise)/surveys/\(id)/responses.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let lines = csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 4, "a header and one row per answer")
            #expect(
                lines.first
                    == "respuesta,recibida_utc,canal,p1 ¿Encontraste todos tus medicamentos en la farmacia?,p2 ¿Cuáles te faltaron?,p3 ¿Cómo calificas la atención en la farmacia?,p4 ¿En qué centro de salud te atendieron?"
            )
            #expect(lines.contains { $0.hasSuffix(",web,Sí,Insulina; Losartán,4,Centro de Salud Oblatos") })
            #expect(lines.contains { $0.hasSuffix(",kiosk,No,,5,Centro de Salud Tonalá") })
            let download = try await browser.get("/exercises/\(exercise)/surveys/\(id)/responses.json")
            #expect(download.status == .ok)
            #expect(try Self.list(download).count == 3)
            let page = try await browser.get("/exercises/\(exercise)/surveys/\(id)/results")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Abasto de medicamentos en los centros de salud"))
            #expect(
                try await Browser(app: app).get("/exercises/\(exercise)/surveys/\(id)/responses.csv").headers.first(name: .location)?.hasPrefix("/login")
                    == true)

            // Closed: still public, no longer answerable.
            #expect(try await lucia.send(.POST, "/api/v1/surveys/\(id)/close").status == .forbidden)
            let closed = try await institution.send(.POST, "/api/v1/surveys/\(id)/close")
            #expect(closed.status == .ok)
            #expect(try Self.json(closed)["status"] as? String == "closed")
            let late = try await Self.answer(anyone, id, #"{"p1": "Sí", "p4": "Centro de Salud Zapopan"}"#)
            #expect(late.status == .conflict)
            #expect(try Self.json(late)["code"] as? String == "survey_closed")
            #expect(try Self.list(try await anyone.send(.GET, "/api/v1/public/surveys")).isEmpty)
            #expect(try await anyone.send(.GET, "/api/v1/surveys/\(id)").status == .ok)
            #expect(try await institution.send(.POST, "/api/v1/surveys/\(id)/close").status == .conflict)
            #expect(try await Self.storedResponses(app) == 3)
        }
    }

    // MARK: The public page and the kiosk

    @Test(arguments: TestDatabase.all)
    func thePublicFormTakesAnswersFromItsOwnPageOnlyAndTheKioskStartsOver(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let draft = try await Self.survey(app, publish: false)
            #expect(try await Browser(app: app).get("/surveys/\(draft.surveyID)").status == .notFound, "a draft has no public page")
            _ = try await draft.institution.send(.POST, "/api/v1/surveys/\(draft.surveyID)/publish")
            let id = draft.surveyID

            let form = try await Browser(app: app).get("/surveys/\(id)")
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"action="/surveys/\#(id)""#))
            #expect(form.body.string.contains(#"name="p2" value="Metformina""#))
            #expect(form.body.string.contains(#"name="sitio_web""#), "the honeypot is on the form")
            #expect(form.headers[.setCookie].isEmpty, "an anonymous answer starts no session")
            #expect(try await Browser(app: app).get("/surveys/\(id)/kiosk").status == .ok)

            let fields = "p1=S%C3%AD&p2=Insulina&p2=Metformina&p3=4&p4=Centro+de+Salud+Oblatos&sitio_web="
            let crossSite = try await Self.form(app, "/surveys/\(id)", fields, site: "cross-site")
            #expect(crossSite.status == .forbidden)
            let otherOrigin = try await Self.form(app, "/surveys/\(id)", fields, site: nil, origin: "https://encuestas-falsas.example")
            #expect(otherOrigin.status == .forbidden)
            #expect(try await Self.storedResponses(app) == 0)

            let thanks = try await Self.form(app, "/surveys/\(id)", fields)
            #expect(thanks.status == .ok, "\(thanks.body.string.prefix(500))")
            #expect(thanks.body.string.contains("¡Gracias por participar!"))
            #expect(!thanks.body.string.contains("kiosk.js"), "only the kiosk starts over by itself")
            #expect(thanks.headers[.setCookie].isEmpty)
            let stored = try #require(try await SurveyResponse.query(on: app.db).first())
            #expect(stored.channel == "web")
            #expect(stored.answersJSON.contains(#""p2":["Insulina","Metformina"]"#))
            #expect(stored.answersJSON.contains(#""p4":"Centro de Salud Oblatos""#))

            let sameOriginHeader = try await Self.form(
                app, "/surveys/\(id)", "p1=No&p4=Centro+de+Salud+Tonal%C3%A1", site: nil, origin: "http://127.0.0.1:8080")
            #expect(sameOriginHeader.status == .ok, "Origin of Cocrea itself is fine")

            let wrong = try await Self.form(app, "/surveys/\(id)", "p1=No&p3=9&p4=Centro+de+Salud+Zapopan")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("se contesta con un número del 1 al 5"))
            #expect(wrong.body.string.contains(#"value="Centro de Salud Zapopan""#), "what was typed stays on the form")
            let robot = try await Self.form(app, "/surveys/\(id)", "p1=No&sitio_web=https%3A%2F%2Fofertas.example")
            #expect(robot.status == .unprocessableEntity)
            #expect(robot.body.string.contains("debe quedar vacío"))
            let repeated = try await Self.form(app, "/surveys/\(id)", fields)
            #expect(repeated.status == .conflict)
            #expect(repeated.body.string.contains("Ya recibimos estas mismas respuestas"))
            #expect(try await Self.storedResponses(app) == 2)

            let kiosk = try await Self.form(app, "/surveys/\(id)/kiosk", "p1=No&p3=3")
            #expect(kiosk.status == .ok)
            // Back to an empty form for the next person: a countdown the person can stop (WCAG 2.2.1), and a link.
            #expect(kiosk.body.string.contains(#"id="reinicio" data-url="/surveys/\#(id)/kiosk""#))
            #expect(kiosk.body.string.contains(#"<script src="/kiosk.js" defer></script>"#))
            #expect(try await Browser(app: app).get("/kiosk.js").status == .ok)
            #expect(kiosk.body.string.contains(#"href="/surveys/\#(id)/kiosk""#))
            #expect(try await Self.form(app, "/surveys/\(id)/kiosk", "p1=No&p3=3").status == .conflict, "a double tap")
            clock.advance(by: 16)
            #expect(
                try await Self.form(app, "/surveys/\(id)/kiosk", "p1=No&p3=3").status == .ok,
                "the next person at the tablet may answer the same")
            #expect(try await SurveyResponse.query(on: app.db).filter(\.$channel == "kiosk").count() == 2)

            let unsupported = try await APIClient(app: app, token: nil).send(
                .POST, "/surveys/\(id)", json: #"{"p1": "No"}"#,
                headers: ["Sec-Fetch-Site": "same-origin"])
            #expect(unsupported.status == .unsupportedMediaType)

            _ = try await draft.institution.send(.POST, "/api/v1/surveys/\(id)/close")
            let closed = try await Self.form(app, "/surveys/\(id)", "p1=No&p4=Centro+de+Salud+Tlaquepaque")
            #expect(closed.status == .conflict)
            #expect(closed.body.string.contains("ya cerró"))
            #expect(try await Browser(app: app).get("/surveys/\(id)").status == .conflict)
            #expect(try await Self.storedResponses(app) == 4)
        }
    }

    // MARK: Abuse and load

    @Test(arguments: TestDatabase.all)
    func aBurstFromOneClientIsHeldBackForAMinute(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock, surveyRateLimit: 3) { app in
            let setup = try await Self.survey(app)
            for index in 1...3 {
                let accepted = try await Self.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "Persona \#(index)"}"#)
                #expect(accepted.status == .created)
            }
            clock.advance(by: 20)
            let held = try await Self.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "Persona 4"}"#)
            #expect(held.status == .tooManyRequests)
            let problem = try Self.json(held)
            #expect(problem["code"] as? String == "rate_limited")
            #expect(problem["retryAfter"] as? Int == 40)
            let page = try await Self.form(app, "/surveys/\(setup.surveyID)", "p1=No&p4=Persona+5")
            #expect(page.status == .tooManyRequests)
            #expect(page.body.string.contains("Espera 40 segundos"))
            #expect(try await Self.storedResponses(app) == 3)
            let otherBrowser = try await setup.anyone.send(
                .POST, "/api/v1/surveys/\(setup.surveyID)/responses",
                json: #"{"answers": {"p1": "No", "p4": "Persona 6"}}"#,
                headers: ["User-Agent": "Mozilla/5.0 (Linux; Android 14) tableta de ventanilla"])
            #expect(otherBrowser.status == .tooManyRequests, "the budget is the address's: a browser name is the client's to choose")
            #expect(try await Self.storedResponses(app) == 3)

            clock.advance(by: 41)
            #expect(
                try await Self.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "Persona 4"}"#).status == .created,
                "a minute after the first answer the window starts over")
            #expect(try await Self.storedResponses(app) == 4)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theProductLimitHoldsBackABurstFromOneClient(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let limit = app.options.surveyRateLimit
            #expect(limit > 0, "the limit is on unless turned off")
            let setup = try await Self.survey(app)
            var statuses: [UInt] = []
            for index in 1...(limit + 1) {
                statuses.append(try await Self.answer(setup.anyone, setup.surveyID, #"{"p1": "No", "p4": "Persona \#(index)"}"#).status.code)
            }
            #expect(statuses == Array(repeating: 201, count: limit) + [429])
            #expect(try await Self.storedResponses(app) == limit)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentAnswersAreAllCommittedInGroups(database: TestDatabase) async throws {
        try await withCocrea(database, surveyRateLimit: 0) { app in
            let setup = try await Self.survey(app)
            let count = 200
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let answers = #"{"p1": "\#(index % 3 == 0 ? "Sí" : "No")", "p3": \#(index % 5 + 1), "p4": "Persona \#(index)"}"#
                        return try await Self.answer(setup.anyone, setup.surveyID, answers, extra: index % 2 == 0 ? "" : #", "channel": "kiosk""#).status.code
                    }
                }
                var statuses: [UInt] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.count == count)
            #expect(statuses.allSatisfy { $0 == 201 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
            #expect(try await Self.storedResponses(app) == count, "every acknowledged answer is stored, none twice")
            let results = try Self.json(try await setup.institution.send(.GET, "/api/v1/surveys/\(setup.surveyID)/results"))
            #expect(results["responseCount"] as? Int == count)
            let p1 = (results["questions"] as? [[String: Any]])?.first?["options"] as? [[String: Any]]
            #expect(p1?.compactMap { $0["count"] as? Int } == [67, 133])
            #expect(try await SurveyResponse.query(on: app.db).filter(\.$channel == "kiosk").count() == count / 2)
        }
    }
}
