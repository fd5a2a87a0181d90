import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Under `?lang=en` every page a signed-in administrator reaches says `lang="en"` and shows no Spanish
/// interface text: once the people's own data (names, titles, places) is taken out, no Spanish letter
/// and no Spanish word is left.
@Suite struct EnglishPagesTests {
    /// Letters and short words English interface text never has.
    static let spanishLetters = Set("áéíóúñ¿¡")
    static let spanishWords: Set<String> = ["de", "del", "la", "las", "los", "el", "que", "para", "por", "con", "una", "sin", "en", "y", "se", "su", "al"]

    /// What Spanish text remains once tags, scripts and the given user data are taken out.
    static func spanishLeft(in html: String, userData: [String]) -> [String] {
        var text = html.replacing(/(?s)<script.*?<\/script>/, with: " ")
        // Text attributes people read stay; the rest of each tag (ids, paths, names) goes.
        text = text.replacing(/<[^>]*>/) { tag in
            " " + String(tag.0).matches(of: /(?:title|alt|placeholder|aria-label|data-stage-notice)="([^"]*)"/).map { String($0.1) }.joined(separator: " ")
                + " "
        }
        text = text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        for data in userData.sorted(by: { $0.count > $1.count }) where !data.isEmpty {
            text = text.replacingOccurrences(of: data, with: " ")
        }
        // The link to the Spanish pages names its language in Spanish, as language switchers do.
        text = text.replacingOccurrences(of: "Español", with: " ")
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            let words = line.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
            return line.contains { spanishLetters.contains(Character($0.lowercased())) } || words.contains { spanishWords.contains($0) }
        }
    }

    @Test func theCheckFindsSpanishLeftOverAndIgnoresUserData() {
        let html = #"<h1>Ejercicio Jalisco</h1><p aria-label="Principal">Vista de lectura</p><p>Reading view of «Compras públicas»</p>"#
        let left = Self.spanishLeft(in: html, userData: ["Ejercicio Jalisco", "Compras públicas"])
        #expect(left.count == 1 && left[0].contains("Principal") && left[0].contains("Vista de lectura") && !left[0].contains("Jalisco"))
        #expect(Self.spanishLeft(in: "<p>Reading view</p>", userData: []).isEmpty)
    }

    /// What people and the instance wrote themselves, shown as they wrote it in any language.
    static func userData(on db: Database) async throws -> [String] {
        var data = try await Exercise.query(on: db).all().flatMap { [$0.name, $0.territory] }
        data += try await Member.query(on: db).all().flatMap { [$0.name, $0.organization, $0.email] }
        data += try await User.query(on: db).all().map(\.name)
        data += try await Commitment.query(on: db).all().flatMap {
            [
                $0.title, $0.problem, $0.description, $0.objective, $0.leadInstitution, $0.indicatorName, $0.indicatorBaseline,
                $0.indicatorTarget, $0.indicatorMeansOfVerification,
            ]
        }
        data += try await Activity.query(on: db).all().flatMap { [$0.title, $0.responsible, $0.responsibleInstitution] }
        data += try await DossierItem.query(on: db).all().flatMap { [$0.title, $0.body, $0.source, $0.contributedBy] }
        data += try await Survey.query(on: db).all().map(\.title)
        // The national plan's catalogue is data the instance loads, in the words of the plan it copies.
        data += try await NationalCommitment.query(on: db).all().flatMap { ["\($0.code) · \($0.title)", $0.title] }
        // The column names of the national transparency platform's files, which the import help quotes as they are.
        data += ["Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud"]
        return data
    }

    /// Renders every page reachable by GET with the given ids under `?lang=en` and checks each one
    /// answered 200; returns how many pages were checked.
    static func walk(_ browser: Browser, app: Application, userData: [String], parameters: [String: UUID]) async throws -> Int {
        var checked = 0
        for route in app.routes.all where route.method == .GET {
            let path =
                "/"
                + route.path.map { component -> String in
                    if case .parameter(let name) = component { return (parameters[name] ?? UUID()).uuidString }
                    return component.description
                }.joined(separator: "/")
            // The outbox lists mail as sent, and mail is written in Spanish (CocreaMail).
            if path.hasPrefix("/api/") || path.hasPrefix("/admin/deliveries") || route.path.last?.description == "events" { continue }
            let response = try await browser.get(path + "?lang=en")
            guard response.status == .ok, response.headers.contentType == .html else { continue }
            let html = response.body.string
            #expect(html.contains("<html lang=\"en\">"), "\(path)")
            let left = spanishLeft(in: html, userData: userData)
            #expect(left.isEmpty, "\(path) still shows Spanish: \(left)")
            checked += 1
        }
        return checked
    }

    @Test func aSealedPlansPagesInEnglishShowNoSpanishInterfaceText() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: setup.fixture.administrator.email, password: Fixture.password).status == .seeOther)
            let checked = try await Self.walk(
                browser, app: app, userData: try await Self.userData(on: app.db),
                parameters: [
                    "exerciseID": setup.fixture.exercise.id!, "planVersionID": setup.version.id!,
                ])
            #expect(checked >= 19, "pages checked: \(checked)")
        }
    }

    @Test func everyPageInEnglishShowsNoSpanishInterfaceText() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = fixture.exercise.id!
            let (commitmentID, planVersionID, tableID, surveyID) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: exerciseID, startsAt: Date().addingTimeInterval(30 * 86400), place: "Sala Juárez")
                try await table.create(on: tx)
                let commitment = try await Fixture.commitment(
                    "Contrataciones abiertas de medicamentos", of: exerciseID, objective: "Publicar cada compra en OCDS", endsOn: "2028-06-15", on: tx)
                try await Fixture.activity("Publicar contratos", of: commitment.requireID(), dueOn: "2029-01-01", on: tx)
                let version = PlanVersion()
                version.$exercise.id = exerciseID
                version.number = 1
                version.content = "{}"
                version.sha256 = Hashing.sha256Hex("{}")
                version.frozenAt = Date()
                try await version.create(on: tx)
                let survey = Survey()
                survey.$exercise.id = exerciseID
                survey.title = "Abasto de medicamentos"
                survey.description = ""
                survey.questionsJSON =
                    #"[{"id":"p1","kind":"singleChoice","options":["Sí","No"],"prompt":"¿Encontraste tus medicamentos?","required":true},{"id":"p2","kind":"scale","options":[],"prompt":"Atención en la farmacia","required":false}]"#
                survey.status = "published"
                survey.createdBy = "Secretaría de Salud Jalisco"
                survey.publishedAt = Date()
                survey.revision = 2
                try await survey.create(on: tx)
                return (try commitment.requireID(), try version.requireID(), try table.requireID(), try survey.requireID())
            }
            let userData =
                try await Self.userData(on: app.db) + [
                    "Sala Juárez", "¿Encontraste tus medicamentos?", "Atención en la farmacia", "Sí",
                ]
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            let checked = try await Self.walk(
                browser, app: app, userData: userData,
                parameters: [
                    "exerciseID": exerciseID, "commitmentID": commitmentID, "planVersionID": planVersionID,
                    "roundtableID": tableID, "surveyID": surveyID,
                ])
            #expect(checked >= 23, "pages checked: \(checked)")
        }
    }
}
