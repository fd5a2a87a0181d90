import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// The narrative sections through the API, the page with its preview (a plain form post), the
/// reading view and the PAL's PDF.
@Suite struct PlanNarrativeTests {
    static let body = """
        {"contextAndChallenges": "En Jalisco, tres de cada diez recetas se surten incompletas.\\n\\nEl reto es que cada persona vea el abasto de su centro de salud.",
         "normativeContext": "El plan se sustenta en:\\n- la Ley General de Transparencia y Acceso a la Información Pública;\\n- la Ley de Salud del Estado de Jalisco.",
         "definitions": "- Abasto: medicamentos disponibles en farmacia.",
         "strategicObjective": "Que las personas usuarias de los centros de salud conozcan y exijan el abasto de medicamentos.",
         "specificObjectives": "- Publicar el abasto mensual por centro de salud.\\n- Atender las quejas por recetas incompletas en cinco días."}
        """

    struct Problem: Decodable {
        var code: String
        var detail: String
    }

    @Test func theFacilitatorReplacesTheSectionsAndMembersReadThem() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/plan/narrative"
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let civilSociety = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            #expect(try JSONDecoder.api.decode(PlanNarrative.self, from: try await civilSociety.send(.GET, path).body).isEmpty)

            let saved = try await facilitator.send(.PUT, path, json: Self.body)
            #expect(saved.status == .ok)
            let read = try JSONDecoder.api.decode(PlanNarrative.self, from: try await civilSociety.send(.GET, path).body)
            #expect(read.normativeContext.hasSuffix("- la Ley de Salud del Estado de Jalisco."))
            #expect(read.definitions == "- Abasto: medicamentos disponibles en farmacia.")

            #expect(try await civilSociety.send(.PUT, path, json: #"{"definitions": "- Abasto: lo que diga la sociedad civil."}"#).status == .forbidden)
            let outsider = APIClient(app: app, token: fixture.memberOfOther.token)
            #expect(try await outsider.send(.GET, path).status == .notFound)
            #expect(try JSONDecoder.api.decode(PlanNarrative.self, from: try await civilSociety.send(.GET, path).body) == read)
        }
    }

    @Test func aSectionTooLongIsRefusedInSpanishAndNothingChanges() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/plan/narrative"
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            _ = try await facilitator.send(.PUT, path, json: Self.body)
            let before = try JSONDecoder.api.decode(PlanNarrative.self, from: try await facilitator.send(.GET, path).body)
            let long = String(repeating: "Artículo 6 constitucional. ", count: 800)
            let refused = try await facilitator.send(.PUT, path, json: #"{"normativeContext": "\#(long)", "definitions": "- Abasto: existencias."}"#)
            #expect(refused.status == .unprocessableEntity)
            let problem = try JSONDecoder.api.decode(Problem.self, from: refused.body)
            #expect(problem.code == "validation_failed")
            #expect(problem.detail.contains("El contexto normativo admite hasta 20000 caracteres."))
            #expect(try JSONDecoder.api.decode(PlanNarrative.self, from: try await facilitator.send(.GET, path).body) == before)
        }
    }

    @Test func thePagePreviewsWithoutSavingThenSavesAndTheReadingViewRunsThePlansSections() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let exercise = fixture.exercise.id!
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password)
            #expect(try await browser.get("/exercises/\(exercise)/plan").body.string.contains("href=\"/exercises/\(exercise)/plan/narrative\""))
            let page = try await browser.get("/exercises/\(exercise)/plan/narrative").body.string
            for field in PlanNarrative.Section.allCases.map(\.rawValue) {
                #expect(page.contains("<label for=\"\(field)\">"), "\(field) has a label")
                #expect(page.contains("<textarea id=\"\(field)\" name=\"\(field)\""))
            }
            #expect(page.contains("name=\"action\" value=\"preview\"") && page.contains("Vista previa</button>"))
            #expect(page.contains("name=\"action\" value=\"save\">Guardar</button>"))

            let form = [
                ("contextAndChallenges", "Tres de cada diez recetas se surten incompletas."),
                ("normativeContext", "El plan se sustenta en:\n- la Ley General de Transparencia;\n- la Ley de Salud del Estado de Jalisco."),
                ("definitions", ""), ("strategicObjective", "Que las personas conozcan el abasto de su centro de salud."),
                ("specificObjectives", "- Publicar el abasto mensual."),
            ]
            let preview = try await browser.post("/exercises/\(exercise)/plan/narrative", form: form + [("action", "preview")])
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("Vista previa (todavía sin guardar)"))
            #expect(
                preview.body.string.contains(
                    "<p>El plan se sustenta en:</p><ul><li>la Ley General de Transparencia;</li><li>la Ley de Salud del Estado de Jalisco.</li></ul>"))
            #expect(try await PlanNarrativeOperations.read(exercise, on: app.useCases).isEmpty, "a preview saves nothing")

            let tooLong = try await browser.post(
                "/exercises/\(exercise)/plan/narrative", form: [("strategicObjective", String(repeating: "Abasto. ", count: 400)), ("action", "save")])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.body.string.contains("El objetivo estratégico admite hasta 3000 caracteres."))
            #expect(try await PlanNarrativeOperations.read(exercise, on: app.useCases).isEmpty)

            let saved = try await browser.post("/exercises/\(exercise)/plan/narrative", form: form + [("action", "save")])
            #expect(saved.status == .seeOther)
            #expect(try await browser.get("/exercises/\(exercise)/plan/narrative?saved=1").body.string.contains("Se guardaron las secciones del plan."))
            #expect(try await PlanNarrativeOperations.read(exercise, on: app.useCases).specificObjectives == "- Publicar el abasto mensual.")

            let reading = try await browser.get("/exercises/\(exercise)/plan/reading").body.string
            let order = [
                "<h2 id=\"seccion-introduccion\">I. Introducción</h2>", "<h3>Contexto y retos</h3>", "<p>Tres de cada diez recetas",
                ">II. Contexto normativo</h2>", "<li>la Ley General de Transparencia;</li>", ">III. Definiciones</h2>",
                "Todavía no hay texto en esta sección.", ">IV. Objetivo estratégico</h2>", "<p>Que las personas conozcan el abasto",
                ">V. Objetivos específicos</h2>", "<ul><li>Publicar el abasto mensual.</li></ul>", ">VI. Problemáticas y compromisos</h2>",
                ">VII. Plantillas de compromisos</h2>",
            ]
            var from = reading.startIndex
            for part in order {
                let found = try #require(reading.range(of: part, range: from..<reading.endIndex), "«\(part)» missing or out of order")
                from = found.upperBound
            }
        }
    }

    @Test func thePALOfAVersionShowsTheNarrativeItFroze() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let path = "/api/v1/exercises/\(setup.fixture.exercise.id!)/plan/narrative"
            _ = try await setup.facilitator.send(.PUT, path, json: Self.body)
            let versions = try JSONDecoder.api.decode(
                [PlanVersionDTO].self, from: try await setup.facilitator.send(.GET, "/api/v1/exercises/\(setup.fixture.exercise.id!)/plan/versions").body)
            #expect(versions.map(\.number) == [1, 2])
            let pdf = try await setup.facilitator.send(.GET, "/api/v1/plan-versions/\(versions[1].id!)/document.pdf")
            let text = try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: pdf.body))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let order = [
                "I. Introducción", "Contexto y retos", "tres de cada diez recetas", "II. Contexto normativo", "• la Ley de Salud del Estado de Jalisco.",
                "III. Definiciones", "• Abasto: medicamentos disponibles", "IV. Objetivo estratégico", "conozcan y exijan el abasto",
                "V. Objetivos específicos", "• Atender las quejas", "VI. Problemáticas y compromisos", "Recetas no surtidas",
                "VII. Plantillas de compromisos", "Firmas (Anexo 2)",
            ]
            var from = text.startIndex
            for part in order {
                let found = try #require(text.range(of: part, range: from..<text.endIndex), "«\(part)» missing or out of order")
                from = found.upperBound
            }
            let first = try await setup.facilitator.send(.GET, "/api/v1/plan-versions/\(versions[0].id!)/document.pdf")
            let frozenBefore = try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: first.body))
            #expect(!frozenBefore.contains("tres de cada diez recetas"), "version 1 was frozen before the STL wrote it")
        }
    }
}
