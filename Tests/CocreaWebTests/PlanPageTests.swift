import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The agreements page: commitments and activities through forms, every unmet rule shown in Spanish.
@Suite struct PlanPageTests {
    @Test(arguments: TestDatabase.all)
    func facilitatorBuildsThePlanThroughTheFormsAndSeesWhatIsMissing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let plan = "/exercises/\(fixture.exercise.id!)/plan"
            let empty = try await browser.get(plan)
            #expect(empty.body.string.contains("Falta un compromiso de transparencia en contrataciones públicas"))

            let invalid = try await browser.post(plan + "/commitments", form: [("title", ""), ("category", "procurement")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("Falta el título del compromiso."))
            #expect(try await Commitment.query(on: app.db).count() == 0)

            let created = try await browser.post(
                plan + "/commitments",
                form: [
                    ("title", "Contrataciones abiertas de la Secretaría de Salud"), ("category", "procurement"),
                    ("startsOn", "2027-01-15"), ("endsOn", "2027-12-15"), ("leadInstitution", "Secretaría de Salud Jalisco"),
                    ("indicatorName", "Contratos publicados"), ("indicatorBaseline", "0 %"), ("indicatorTarget", "100 %"),
                    ("indicatorMeansOfVerification", "Portal de datos abiertos"), ("nationalCommitmentId", ""), ("dossierItemId", ""),
                ])
            #expect(created.status == .seeOther, "\(created.body.string.prefix(400))")
            let commitment = try #require(try await Commitment.query(on: app.db).first())
            let page = try await browser.get(plan)
            #expect(page.body.string.contains("no tiene actividades"))
            #expect(!page.body.string.contains("Falta un compromiso de transparencia"))

            let activity = try await browser.post(
                plan + "/commitments/\(commitment.id!)/activities",
                form: [
                    ("title", "Publicar los contratos de 2026"), ("responsible", "Lic. Jorge Ramírez Ochoa"),
                    ("responsibleInstitution", "STL Jalisco"), ("dueOn", "2027-03-31"),
                ])
            #expect(activity.status == .seeOther)
            let withActivity = try await browser.get(plan)
            #expect(withActivity.body.string.contains("Publicar los contratos de 2026"))
            #expect(withActivity.body.string.contains("miércoles 31 de marzo de 2027"))

            let frozen = try await browser.post(plan + "/versions", form: [])
            #expect(frozen.status == .unprocessableEntity, "an incomplete plan cannot be frozen")
            #expect(try await PlanVersion.query(on: app.db).count() == 0)
        }
    }
}

/// Editing a commitment from the page: two people on the same revision never overwrite each other.
@Suite struct CommitmentEditPageTests {
    @Test func secondEditorSeesBothVersionsAndNothingIsOverwritten() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let commitment = try #require(try await Commitment.query(on: app.db).filter(\.$title == "Sistema Estatal de Cuidados").first())
            let plan = "/exercises/\(setup.fixture.exercise.id!)/plan"
            let jorge = Browser(app: app)
            _ = try await jorge.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password)
            let admin = Browser(app: app)
            _ = try await admin.signIn(email: setup.fixture.administrator.email, password: Fixture.password)
            let page = try await jorge.get(plan)
            #expect(page.body.string.contains("Editar este compromiso"))
            _ = try await admin.get(plan)
            func form(_ title: String, objective: String) -> [(String, String)] {
                [
                    ("revision", "\(commitment.revision)"), ("category", "nationalPlan"),
                    ("nationalCommitmentId", commitment.$nationalCommitment.id!.uuidString),
                    ("title", title), ("problem", "Cuidados sin coordinación"), ("description", ""), ("objective", objective),
                    ("startsOn", "2027-01-15"), ("endsOn", "2027-12-15"), ("leadInstitution", "Secretaría del Sistema de Asistencia Social"),
                    ("indicatorName", "Personas cuidadoras registradas"), ("indicatorBaseline", "0"), ("indicatorTarget", "5,000"),
                    ("indicatorMeansOfVerification", "Padrón publicado"),
                ]
            }
            let first = try await jorge.post(
                plan + "/commitments/\(commitment.id!)", form: form("Sistema Estatal de Cuidados de Jalisco", objective: "Registrar a las personas cuidadoras"))
            #expect(first.status == .seeOther)
            let second = try await admin.post(
                plan + "/commitments/\(commitment.id!)", form: form("Sistema de Cuidados", objective: "Coordinar los servicios de cuidados"))
            #expect(second.status == .conflict)
            let body = second.body.string
            #expect(body.contains("Otra persona cambió este compromiso mientras lo editabas"))
            #expect(body.contains("Sistema Estatal de Cuidados de Jalisco"), "theirs, stored")
            #expect(body.contains("Coordinar los servicios de cuidados"), "yours, not stored")
            let stored = try #require(try await Commitment.find(commitment.id, on: app.db))
            #expect(stored.title == "Sistema Estatal de Cuidados de Jalisco")
            #expect(stored.revision == commitment.revision + 1)

            _ = try await jorge.get(plan)
            let stale = try await jorge.post(plan + "/commitments/\(commitment.id!)/delete", form: [("revision", "\(commitment.revision)")])
            #expect(stale.status == .conflict)
            let deleted = try await jorge.post(plan + "/commitments/\(commitment.id!)/delete", form: [("revision", "\(stored.revision)")])
            #expect(deleted.status == .ok)
            #expect(try await Commitment.find(commitment.id, on: app.db) == nil)
        }
    }
}
