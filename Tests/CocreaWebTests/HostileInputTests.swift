import CocreaConsultation
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

/// Findings of an outside security review, each reproduced as the attacker sent it: none may crash
/// the server, open someone else's session, or tell accounts apart.
@Suite struct HostileInputTests {
    static func verifyUpload(_ pdf: String) -> (HTTPHeaders, ByteBuffer) {
        MultipartForm.encode(file: (field: "file", name: "pal.pdf", type: "application/pdf", data: Array(pdf.utf8)))
    }

    // MARK: Crafted PDFs

    @Test func craftedPDFsAreRefusedWith422AndTheServerLives() async throws {
        try await withCocrea(.sqlite) { app in
            let anyone = APIClient(app: app, token: nil)
            for pdf in [
                "%PDF-1.4\n/ByteRange 99999999999999999999999\n", "%PDF-1.4\n/ByteRange [0 9223372036854775807 1 1]\n",
                "%PDF-1.4\n/ByteRange " + String(repeating: "[", count: 1_000_000) + "\n",
            ] {
                let (headers, body) = Self.verifyUpload(pdf)
                let response = try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body)
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("pdf_unreadable"))
                #expect(response.body.string.contains("La firma del archivo está dañada"))
            }
            let browser = Browser(app: app)
            try await browser.get("/verify")
            let response = try await browser.postMultipart(
                "/verify", fields: [],
                file: (
                    field: "file", name: "pal.pdf", type: "application/pdf",
                    data: Array("%PDF-1.4\n/ByteRange 99999999999999999999999\n".utf8)
                ))
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("La firma del archivo está dañada"))
            #expect(try await anyone.send(.GET, "/healthz").status == .ok)
        }
    }

    // MARK: Sessions

    /// Whoever held the session id before a sign-in (a planted cookie, a copy taken earlier) holds
    /// nothing after it.
    @Test(arguments: TestDatabase.all)
    func signingInRenewsTheSessionId(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let victim = Browser(app: app)
            victim[cookie: "cocrea_session"] = "identificador-plantado-por-el-atacante"
            #expect(try await victim.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let first = try #require(victim[cookie: "cocrea_session"])
            #expect(first != "identificador-plantado-por-el-atacante")

            let attacker = Browser(app: app)
            attacker[cookie: "cocrea_session"] = first
            #expect(try await attacker.get("/exercises").status == .ok, "a copy of a live session works, as any cookie would")

            #expect(try await victim.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            #expect(victim[cookie: "cocrea_session"] != first)
            #expect(try await victim.get("/admin/deliveries").status == .ok)
            let stale = try await attacker.get("/admin/deliveries")
            #expect(stale.status != .ok, "the id from before the sign-in opens nothing")
            #expect(try await WebSession.query(on: app.db).count() == 1, "the replaced session is gone")
        }
    }

    /// A visitor looking at pages with forms, or sending a made-up cookie, costs no session row; the
    /// sign-in form still works through its own form cookie.
    @Test(arguments: TestDatabase.all)
    func anonymousVisitsStoreNoSession(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            for index in 0..<30 {
                let visitor = Browser(app: app)
                if index.isMultiple(of: 2) { visitor[cookie: "cocrea_session"] = "inventada-\(index)" }
                #expect(try await visitor.get("/login").status == .ok)
                #expect(try await visitor.get("/verify").status == .ok)
            }
            #expect(try await WebSession.query(on: app.db).count() == 0)

            let person = Browser(app: app)
            #expect(try await person.signIn(email: fixture.members["guarantor"]!.email, password: Fixture.password).status == .seeOther)
            #expect(try await WebSession.query(on: app.db).count() == 1)

            let forger = Browser(app: app)
            try await forger.get("/login")
            forger[cookie: "cocrea_form"] = "otro-valor"
            let refused = try await forger.post("/login", form: [("email", fixture.members["guarantor"]!.email), ("password", Fixture.password)])
            #expect(refused.status == .forbidden, "the form token must match the visitor's own cookie")
        }
    }

    @Test func sessionsEndOnTheServerAfterTheirLifetime() async throws {
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            #expect(try await browser.get("/exercises").status == .ok)
            clock.advance(by: WebSession.lifetime + 60)
            #expect(try await browser.get("/exercises").status != .ok, "twelve hours after sign-in the session is over")

            let other = Browser(app: app)
            #expect(try await other.signIn(email: fixture.members["guarantor"]!.email, password: Fixture.password).status == .seeOther)
            #expect(try await WebSession.query(on: app.db).count() == 1, "a sign-in sweeps expired sessions")
        }
    }

    @Test func signedInPagesAreNeverStoredByCaches() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            for path in ["/exercises", "/exercises/\(fixture.exercise.id!)/dossier"] {
                #expect(try await browser.get(path).headers.first(name: .cacheControl) == "no-store", "\(path)")
            }
        }
    }

    // MARK: Sign-in limits

    /// Ten failures for one account from ten addresses hold it back, as five from one address do.
    @Test(arguments: TestDatabase.all)
    func failuresFromManyAddressesLimitTheAccount(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let email = fixture.members["institution"]!.email
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                for index in 1...10 {
                    try await LoginAttempt(key: "203.0.113.\(index)|\(email)", succeeded: false, attemptedAt: Date()).create(on: tx)
                }
            }
            let browser = Browser(app: app)
            let refused = try await browser.signIn(email: email, password: Fixture.password)
            #expect(refused.status == .tooManyRequests)
            #expect(
                try await browser.signIn(email: fixture.members["guarantor"]!.email, password: Fixture.password).status == .seeOther,
                "other accounts are not held back")
        }
    }

    /// An address with no account meets the emailed-link limit exactly as one with an account does.
    @Test func theEmailedLinkLimitDoesNotTellAccountsApart() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            for email in [fixture.members["civilSociety"]!.email, "nadie@sin-cuenta.example"] {
                let browser = Browser(app: app)
                try await browser.get("/login")
                var statuses: [HTTPStatus] = []
                for _ in 1...4 {
                    statuses.append(try await browser.post("/login/link", form: [("email", email)]).status)
                }
                #expect(statuses == [.ok, .ok, .ok, .tooManyRequests], "\(email)")
            }
        }
    }

    // MARK: Survey answers

    /// The answer budget belongs to the address: another browser name buys no more answers.
    @Test func rotatingTheBrowserNameBuysNoMoreAnswers() async throws {
        try await withCocrea(.sqlite, surveyRateLimit: 3) { app in
            let setup = try await SurveyFlowTests.survey(app)
            var statuses: [HTTPStatus] = []
            for index in 1...5 {
                let response = try await setup.anyone.send(
                    .POST, "/api/v1/surveys/\(setup.surveyID)/responses",
                    json: #"{"answers": {"p1": "Sí", "p4": "Colonia \#(index)"}}"#,
                    headers: ["User-Agent": "Navegador \(index)"])
                statuses.append(response.status)
            }
            #expect(statuses == [.created, .created, .created, .tooManyRequests, .tooManyRequests])
        }
    }

    @Test func aHeldBackAnswerSaysWhenToRetry() async throws {
        try await withCocrea(.sqlite, surveyRateLimit: 1) { app in
            let setup = try await SurveyFlowTests.survey(app)
            _ = try await SurveyFlowTests.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "Colonia Americana"}"#)
            let held = try await SurveyFlowTests.answer(setup.anyone, setup.surveyID, #"{"p1": "No", "p4": "Colonia Chapalita"}"#)
            #expect(held.status == .tooManyRequests)
            #expect(held.headers.first(name: .retryAfter).flatMap(Int.init) == 60)
        }
    }

    @Test func ipv6ClientsAreKeyedByTheirNetwork() {
        #expect(SubmissionGuard.clientKey(address: "2001:db8:85a3:12:aaaa:bbbb:cccc:1") == "2001:db8:85a3:12::/64")
        #expect(SubmissionGuard.clientKey(address: "2001:db8:85a3:12::99") == "2001:db8:85a3:12::/64")
        #expect(SubmissionGuard.clientKey(address: "2001:db8::1") == "2001:db8:0:0::/64")
        #expect(SubmissionGuard.clientKey(address: "189.203.14.7") == "189.203.14.7")
    }

    /// The survey form's origin check compares the port too: another service on the same host is another site.
    @Test func anOriginOnAnotherPortIsAnotherSite() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SurveyFlowTests.survey(app)
            let otherPort = try await SurveyFlowTests.form(app, "/surveys/\(setup.surveyID)", "p1=No&p4=Centro", site: nil, origin: "http://127.0.0.1:9999")
            #expect(otherPort.status == .forbidden)
            let same = try await SurveyFlowTests.form(app, "/surveys/\(setup.surveyID)", "p1=No&p4=Centro", site: nil, origin: "http://127.0.0.1:8080")
            #expect(same.status == .ok)
        }
        #expect(Request.authority(ofOrigin: "https://cocrea.itei.org.mx") == Request.authority(ofHost: "cocrea.itei.org.mx:443"))
        #expect(Request.authority(ofOrigin: "http://localhost:8081") != Request.authority(ofHost: "localhost:8080"))
    }

    // MARK: Smaller findings

    @Test func anUnsignedVersionTellsNothingAboutItsExercise() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let version = try await ConformityTests.frozenVersion(of: fixture.exercise.id!, on: app)
            let page = try await Browser(app: app).get("/verify/\(version.id!.uuidString.lowercased())")
            #expect(page.status == .notFound)
            #expect(!page.body.string.contains(fixture.exercise.name))
        }
    }

    /// A dossier link is a key to the dossier for 90 days after it was sent, not forever.
    @Test func receiptLinksExpireAfterNinetyDays() async throws {
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let base = "/api/v1/exercises/\(fixture.exercise.id!)"
            #expect(
                try await facilitator.send(
                    .POST, base + "/dossier/items",
                    json: """
                        {"kind": "problem", "title": "Desabasto de medicamentos en centros de salud", "body": "Recetas surtidas de forma incompleta.", "source": "Evento de arranque"}
                        """
                ).status == .created)
            #expect(try await facilitator.send(.POST, base + "/dossier/distributions").status == .created)
            let link = try #require(try await DossierWindowFlowTests.links(kind: "dossier", on: app).values.first)
            clock.advance(by: 89 * 24 * 3600)
            #expect(try await Browser(app: app).get(link).status == .ok)
            #expect(try await Browser(app: app).get(link + "/expediente.pdf").status == .ok)
            clock.advance(by: 2 * 24 * 3600)
            let expired = try await Browser(app: app).get(link)
            #expect(expired.status == .gone)
            #expect(expired.body.string.contains("Entra a Cocrea con tu correo"))
            #expect(try await Browser(app: app).get(link + "/expediente.pdf").status == .gone)
            let token = String(link.dropFirst("/receipts/".count))
            let api = try await APIClient(app: app, token: nil).send(.POST, "/api/v1/receipts/\(token)")
            #expect(api.status == .gone)
            #expect(api.body.string.contains("receipt_expired"))
        }
    }

    @Test func personalLinksNeverReachTheLogEvenWithADoubleSlash() async throws {
        try await withCocrea(.sqlite) { app in
            for (path, redacted) in [
                ("/receipts//SECRETO123", "/receipts//…"), ("/receipts/SECRETO123/expediente.pdf", "/receipts/…/expediente.pdf"),
                ("/sign///SECRETO123", "/sign///…"), ("/login/link/SECRETO123", "/login/link/…"),
            ] {
                let request = Request(application: app, method: .GET, url: URI(string: path), on: app.eventLoopGroup.next())
                #expect(request.redactedPath == redacted)
            }
        }
    }
}
