import CocreaCore
import CocreaStore
import CocreaTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// What a person downloads or is mailed from a page comes in that page's language: the dossier's PDF
/// and the sign-in link, Spanish by default and English under `?lang=en`.
@Suite struct DocumentLanguageFlowTests {
    @Test(arguments: TestDatabase.all)
    func theDossierPDFIsInTheLanguageOfThePage(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let item = try await facilitator.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items",
                json: """
                    {"kind": "problem", "title": "Desabasto de medicamentos en centros de salud", "body": "Recetas surtidas de forma incompleta.", "source": "Evento de arranque"}
                    """)
            #expect(item.status == .created)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: fixture.administrator.password).status == .seeOther)
            let path = "/exercises/\(fixture.exercise.id!)/expediente.pdf"

            func text(_ response: TestingHTTPResponse) async throws -> String {
                try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: response.body))
                    .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            }
            let spanish = try await text(try await browser.get(path))
            #expect(spanish.contains("Expediente previo de la mesa de diálogo"))
            #expect(spanish.contains("Problemática · Aportado por"))
            #expect(spanish.contains("Borrador sin enviar · generado el"))
            let english = try await text(try await browser.get(path + "?lang=en"))
            #expect(english.contains("Dossier for the dialogue table"))
            #expect(english.contains("Problem · Contributed by"))
            #expect(english.contains("Draft not yet sent · generated on"))
            #expect(!english.contains("Expediente") && !english.contains("Página") && !english.contains("generado"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSignInLinkAskedForInEnglishIsMailedInEnglish(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let spanish = Browser(app: app)
            try await spanish.get("/login")
            #expect(try await spanish.post("/login/link", form: [("email", fixture.members["civilSociety"]!.email)]).status == .ok)
            let english = Browser(app: app)
            try await english.get("/login?lang=en")
            #expect(try await english.post("/login/link", form: [("email", fixture.members["guarantor"]!.email)]).status == .ok)

            let deliveries = try await Delivery.query(on: app.db).filter(\.$kind == "magicLink").all()
            let subjects = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.toEmail, $0.subject) })
            #expect(subjects[fixture.members["civilSociety"]!.email] == "Tu enlace para entrar a Cocrea")
            #expect(subjects[fixture.members["guarantor"]!.email] == "Your link to sign in to Cocrea")
        }
    }
}
