import CocreaCore
import CocreaStore
import CocreaTestSupport
@testable import CocreaWeb
import Fluent
import Foundation
import Testing
import Vapor

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
            " " + String(tag.0).matches(of: /(?:title|alt|placeholder|aria-label|data-stage-notice)="([^"]*)"/).map { String($0.1) }.joined(separator: " ") + " "
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

    @Test func everyPageInEnglishShowsNoSpanishInterfaceText() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = fixture.exercise.id!
            let (commitmentID, planVersionID, tableID, surveyID) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: exerciseID, startsAt: Date().addingTimeInterval(30 * 86400), place: "Sala Juárez")
                try await table.create(on: tx)
                let commitment = Commitment()
                commitment.$exercise.id = exerciseID
                commitment.title = "Contrataciones abiertas de medicamentos"
                commitment.category = .procurement
                commitment.problem = "Opacidad en compras de medicamentos"
                commitment.description = ""
                commitment.objective = "Publicar cada compra en OCDS"
                commitment.startsOn = "2027-01-15"
                commitment.endsOn = "2028-06-15"
                commitment.leadInstitution = "Secretaría de Salud Jalisco"
                commitment.indicatorName = ""
                commitment.indicatorBaseline = ""
                commitment.indicatorTarget = ""
                commitment.indicatorMeansOfVerification = ""
                commitment.revision = 1
                try await commitment.create(on: tx)
                let activity = Activity()
                activity.$commitment.id = commitment.id!
                activity.title = "Publicar contratos"
                activity.responsible = ""
                activity.responsibleInstitution = ""
                activity.dueOn = "2029-01-01"
                activity.status = "notStarted"
                activity.progress = 0
                activity.weight = 1
                activity.revision = 1
                try await activity.create(on: tx)
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
                survey.questionsJSON = #"[{"id":"p1","kind":"singleChoice","options":["Sí","No"],"prompt":"¿Encontraste tus medicamentos?","required":true},{"id":"p2","kind":"scale","options":[],"prompt":"Atención en la farmacia","required":false}]"#
                survey.status = "published"
                survey.createdBy = "Secretaría de Salud Jalisco"
                survey.publishedAt = Date()
                survey.revision = 2
                try await survey.create(on: tx)
                return (try commitment.requireID(), try version.requireID(), try table.requireID(), try survey.requireID())
            }
            var userData = try await Exercise.query(on: app.db).all().flatMap { [$0.name, $0.territory] }
            userData += try await Member.query(on: app.db).all().flatMap { [$0.name, $0.organization, $0.email] }
            userData += try await User.query(on: app.db).all().map(\.name)
            userData += ["Sala Juárez", "Contrataciones abiertas de medicamentos", "Opacidad en compras de medicamentos",
                         "Publicar cada compra en OCDS", "Secretaría de Salud Jalisco", "Publicar contratos",
                         "Abasto de medicamentos", "¿Encontraste tus medicamentos?", "Atención en la farmacia", "Sí"]
            // The column names of the national transparency platform's files, which the import help quotes as they are.
            userData += ["Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud"]
            // The national plan's catalogue is data the instance loads, in the words of the plan it copies.
            userData += try await NationalCommitment.query(on: app.db).all().map { "\($0.code) · \($0.title)" }

            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            var checked = 0
            for route in app.routes.all where route.method == .GET {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter("exerciseID"): exerciseID.uuidString
                    case .parameter("commitmentID"): commitmentID.uuidString
                    case .parameter("planVersionID"): planVersionID.uuidString
                    case .parameter("roundtableID"): tableID.uuidString
                    case .parameter("surveyID"): surveyID.uuidString
                    case .parameter: UUID().uuidString
                    default: component.description
                    }
                }.joined(separator: "/")
                if path.hasPrefix("/api/") || route.path.last?.description == "events" { continue }
                let response = try await browser.get(path + "?lang=en")
                guard response.status == .ok, response.headers.contentType == .html else { continue }
                let html = response.body.string
                #expect(html.contains("<html lang=\"en\">"), "\(path)")
                let left = Self.spanishLeft(in: html, userData: userData)
                #expect(left.isEmpty, "\(path) still shows Spanish: \(left)")
                checked += 1
            }
            #expect(checked >= 24, "pages checked: \(checked)")
        }
    }
}
