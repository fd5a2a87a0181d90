import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The Spanish pages, as a person uses them through a browser session.
@Suite struct PageTests {
    @Test func pagesAreSpanishFirstAndEnglishOnRequest() async throws {
        try await withCocrea(.sqlite) { app in
            let spanish = try await Browser(app: app).get("/login")
            #expect(spanish.body.string.contains("<html lang=\"es\">"))
            #expect(spanish.body.string.contains("Entrar con contraseña"))
            let english = try await Browser(app: app).get("/login", headers: ["Accept-Language": "en-US,en;q=0.9"])
            #expect(english.body.string.contains("Sign in with password"))
            let switched = try await Browser(app: app).get("/login?lang=en")
            #expect(switched.body.string.contains("<html lang=\"en\">"))
            #expect(switched.headers[.setCookie].contains { $0.hasPrefix("lang=en") })
        }
    }

    @Test func everyPageCarriesSecurityHeaders() async throws {
        try await withCocrea(.sqlite) { app in
            for path in ["/", "/login", "/privacidad", "/no-existe", "/api/v1/openapi.json"] {
                let response = try await Browser(app: app).get(path)
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
        }
    }

    @Test func formWithoutCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            let before = try await Exercise.query(on: app.db).count()
            let response = try await browser.post("/exercises", form: [("name", "Sin token"), ("territory", "Colima"), ("csrf", "falso")])
            #expect(response.status == .forbidden)
            #expect(response.body.string.contains("El formulario caducó"))
            #expect(try await Exercise.query(on: app.db).count() == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func administratorCreatesAnExerciseInvitesAndAddsAnItemThroughTheForms(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            try await browser.get("/exercises/new")

            let invalid = try await browser.post("/exercises", form: [("name", ""), ("territory", "Colima"), ("timeZone", "America/Mexico_City")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("Falta el nombre del ejercicio."))
            #expect(invalid.body.string.contains("value=\"Colima\""), "the form keeps what the person typed")

            let created = try await browser.post(
                "/exercises",
                form: [
                    ("name", "Ejercicio local de gobierno abierto Colima 2027"), ("territory", "Colima"),
                    ("timeZone", "America/Mexico_City"), ("nationalPlan", "2016-2018"),
                ])
            #expect(created.status == .seeOther)
            let location = created.headers.first(name: .location)!
            let overview = try await browser.get(location)
            #expect(overview.body.string.contains("Ejercicio local de gobierno abierto Colima 2027"))

            let invited = try await browser.post(
                location + "/members",
                form: [
                    ("name", "Ana <script>alert(1)</script> Díaz"), ("email", "ana.diaz@colima.example"),
                    ("sector", "institution"), ("organization", "Secretaría de Administración de Colima"), ("role", "member"),
                ])
            #expect(invited.status == .seeOther)
            let members = try await browser.get(location + "/members")
            #expect(members.body.string.contains("Ana &lt;script&gt;alert(1)&lt;/script&gt; Díaz"), "text is shown as text, never run")
            #expect(!members.body.string.contains("<script>alert(1)</script>"))

            let pdf = SimplePDF.document(title: "Estudio de necesidades", lines: ["Colima 2026"])
            let added = try await browser.postMultipart(
                location + "/dossier",
                fields: [
                    ("kind", "study"), ("title", "Estudio de necesidades de información"), ("body", "Hallazgos de 2026"), ("source", "Universidad de Colima"),
                ],
                file: (field: "file", name: "estudio.pdf", type: "application/pdf", data: Array(pdf)))
            #expect(added.status == .seeOther, "\(added.body.string.prefix(500))")
            let dossier = try await browser.get(location + "/dossier")
            #expect(dossier.body.string.contains("Estudio de necesidades de información"))
            #expect(dossier.body.string.contains("estudio.pdf"))
        }
    }

    @Test func wrongPasswordsAreLimitedPerAccount() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            for _ in 0..<AccountOperations.failuresPerAccount {
                let response = try await browser.signIn(email: fixture.administrator.email, password: "incorrecta")
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("El correo o la contraseña no coinciden."))
            }
            let limited = try await browser.signIn(email: fixture.administrator.email, password: Fixture.password)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.string.contains("Demasiados intentos"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func magicLinkSignsInOnceAndOnlyOnce(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            try await browser.get("/login")
            let asked = try await browser.post("/login/link", form: [("email", fixture.members["civilSociety"]!.email)])
            #expect(asked.status == .ok)
            #expect(asked.body.string.contains("te enviamos un enlace"))
            let unknown = try await browser.post("/login/link", form: [("email", "nadie@correo.example")])
            #expect(unknown.body.string.contains("te enviamos un enlace"), "the answer does not reveal which emails have accounts")

            let deliveries = try await Delivery.query(on: app.db).filter(\.$kind == "magicLink").all()
            #expect(deliveries.count == 1)
            let raw = String(decoding: deliveries[0].message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
            let link = try #require(raw.range(of: #"/login/link/[A-Za-z0-9_\-]+"#, options: .regularExpression).map { String(raw[$0]) })

            let confirm = try await browser.get(link)
            #expect(confirm.status == .ok, "opening the link only asks to confirm")
            let signedIn = try await browser.post(link, form: [])
            #expect(signedIn.status == .seeOther)
            #expect(try await browser.get("/exercises").body.string.contains(fixture.exercise.name))

            let stranger = Browser(app: app)
            try await stranger.get(link)
            let reused = try await stranger.post(link, form: [])
            #expect(reused.status == .gone)
            #expect(reused.body.string.contains("El enlace ya se usó o caducó"))
        }
    }

    @Test func outsiderCannotSeeAnotherExercise() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.memberOfOther.email, password: Fixture.password).status == .seeOther)
            let response = try await browser.get("/exercises/\(fixture.exercise.id!)/members")
            #expect(response.status == .notFound)
            #expect(!response.body.string.contains(fixture.members["institution"]!.email))
        }
    }

    @Test func signedOutVisitorIsSentToSignIn() async throws {
        try await withCocrea(.sqlite) { app in
            let response = try await Browser(app: app).get("/exercises")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/login?next=/exercises")
        }
    }
}
