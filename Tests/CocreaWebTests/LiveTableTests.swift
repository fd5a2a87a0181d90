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

/// The table in session: every change is an event in order (what the live pages follow), the
/// console works through plain forms, conformity is stated by those present, and closing the
/// table stores its minutes. The live stream itself is read by Tests/api/test_live_events.py.
@Suite struct LiveTableTests {
    struct Table {
        var app: Application
        var exercise: Exercise
        var table: Roundtable
        var facilitator: APIClient
        var path: String
    }

    /// The demo's table that D10 already allows to open today.
    static func readyTable(_ app: Application) async throws -> Table {
        try await Demo.load(on: app)
        let exercise = try #require(try await Exercise.query(on: app.db).filter(\.$name == Demo.readyExerciseName).first())
        let table = try #require(try await Roundtable.query(on: app.db).filter(\.$exercise.$id == exercise.id!).first())
        let token = try await AccountOperations.createToken(email: "jorge.ramirez@stl-jalisco.example", name: "pruebas", on: app.useCases)
        return Table(app: app, exercise: exercise, table: table, facilitator: APIClient(app: app, token: token), path: "/api/v1/roundtables/\(table.id!)")
    }

    static func member(_ email: String, of exercise: Exercise, on app: Application) async throws -> Member {
        try #require(try await Member.query(on: app.db).filter(\.$exercise.$id == exercise.id!).filter(\.$email == email).first())
    }

    @Test(arguments: TestDatabase.all)
    func everyChangeAtTheTableIsAnEventInOrder(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.readyTable(app)
            let lucia = try await Self.member("lucia@datosabiertos-gdl.example", of: setup.exercise, on: app)
            let item = try #require(try await DossierItem.query(on: app.db).filter(\.$exercise.$id == setup.exercise.id!).filter(\.$kind == .problem).first())
            #expect(try await setup.facilitator.send(.POST, setup.path + "/stage", json: #"{"stage": "introduction"}"#).status == .ok)
            #expect(
                try await setup.facilitator.send(
                    .POST, setup.path + "/attendance",
                    json: #"{"memberId": "\#(lucia.id!)", "presence": "represented", "representedBy": "Ana Ruiz"}"#
                ).status == .ok)
            let early = try await setup.facilitator.send(.POST, setup.path + "/presentation", json: #"{"dossierItemId": "\#(item.id!)"}"#)
            #expect(early.status == .conflict, "items are presented in análisis")
            #expect(try await setup.facilitator.send(.POST, setup.path + "/stage", json: #"{"stage": "analysis"}"#).status == .ok)
            #expect(try await setup.facilitator.send(.POST, setup.path + "/presentation", json: #"{"dossierItemId": "\#(item.id!)"}"#).status == .ok)
            #expect(
                try await setup.facilitator.send(
                    .POST, setup.path + "/interventions",
                    json: #"{"kind": "doubt", "text": "¿Quién publicará el inventario?", "dossierItemId": "\#(item.id!)"}"#
                ).status == .created)

            let events = try await RoundtableEvent.query(on: app.db).filter(\.$roundtable.$id == setup.table.id!).sort(\.$sequence).all()
            #expect(events.map(\.kind) == ["stage", "attendance", "stage", "presenting", "intervention"])
            #expect(Set(events.map(\.sequence)).count == events.count, "each event its own number")
            let attendance = try JSONDecoder().decode(LiveEvent.self, from: Data(events[1].payload.utf8))
            #expect(attendance.memberName == "Lucía Hernández Paredes")
            #expect(attendance.presenceLabel == "Representada por Ana Ruiz" || attendance.presenceLabel?.hasSuffix("por Ana Ruiz") == true)
            let intervention = try JSONDecoder().decode(LiveEvent.self, from: Data(events[4].payload.utf8))
            #expect(intervention.text == "¿Quién publicará el inventario?")
            #expect(intervention.itemTitle == item.title)
            #expect(intervention.kindLabel == InterventionKind.doubt.label(.es))
        }
    }

    @Test func consoleWorksThroughFormsAndClosingStoresTheMinutes() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.readyTable(app)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: "jorge.ramirez@stl-jalisco.example", password: Demo.administratorPassword)
            let console = "/exercises/\(setup.exercise.id!)/roundtables/\(setup.table.id!)"
            let page = try await browser.get(console)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Pasar a «Introducción»"))
            #expect(page.body.string.contains("data-events=\"\(console)/events\""))
            for stage in ["introduction", "analysis"] {
                #expect(try await browser.post(console + "/stage", form: [("stage", stage)]).status == .seeOther)
            }
            let lucia = try await Self.member("lucia@datosabiertos-gdl.example", of: setup.exercise, on: app)
            _ = try await browser.get(console)
            #expect(
                try await browser.post(console + "/attendance", form: [("memberId", lucia.id!.uuidString), ("presence", "present"), ("representedBy", "")])
                    .status == .seeOther)
            #expect(
                try await browser.post(
                    console + "/interventions",
                    form: [
                        ("memberId", lucia.id!.uuidString), ("kind", "contribution"),
                        ("dossierItemId", ""), ("text", "Proponemos publicar el inventario cada semana."),
                    ]
                ).status == .seeOther)
            let empty = try await browser.post(console + "/interventions", form: [("kind", "doubt"), ("text", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(try await browser.get(console).body.string.contains("Proponemos publicar el inventario cada semana."))
            #expect(try await browser.get(console + "/minutes.pdf").status == .conflict, "the PDF exists once the table closes")
            for stage in ["agreements", "followUp", "closed"] {
                _ = try await browser.get(console)
                #expect(try await browser.post(console + "/stage", form: [("stage", stage)]).status == .seeOther)
            }
            let minutes = try await browser.get(console + "/minutes")
            #expect(minutes.body.string.contains("Proponemos publicar el inventario cada semana."))
            #expect(minutes.body.string.contains("Concluida"))
            let pdf = try await browser.get(console + "/minutes.pdf")
            #expect(pdf.status == .ok)
            let text = try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: pdf.body))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("Relatoría de la mesa de diálogo"))
            #expect(text.contains("Proponemos publicar el inventario cada semana."))
            #expect(text.contains("Lucía Hernández Paredes"))
            #expect(text.contains("Introducción:"))
            let reading = try await browser.get("/exercises/\(setup.exercise.id!)/plan/reading")
            #expect(reading.status == .ok)
            #expect(reading.body.string.contains("class=\"reading\""))
        }
    }

    @Test func onlyThoseAtTheTableStateConformity() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.readyTable(app)
            let lucia = try await Self.member("lucia@datosabiertos-gdl.example", of: setup.exercise, on: app)
            let carlos = try await Self.member("carlos@observatorio-salud.example", of: setup.exercise, on: app)
            _ = try await setup.facilitator.send(.POST, setup.path + "/stage", json: #"{"stage": "introduction"}"#)
            _ = try await setup.facilitator.send(.POST, setup.path + "/attendance", json: #"{"memberId": "\#(lucia.id!)", "presence": "present"}"#)
            _ = try await setup.facilitator.send(.POST, setup.path + "/attendance", json: #"{"memberId": "\#(carlos.id!)", "presence": "absent"}"#)
            let version = try await ConformityTests.frozenVersion(of: setup.exercise.id!, on: app)
            let path = "/api/v1/plan-versions/\(version.id!)/conformity"
            let luciaAPI = APIClient(app: app, token: try await AccountOperations.createToken(email: lucia.email, name: "t", on: app.useCases))
            let carlosAPI = APIClient(app: app, token: try await AccountOperations.createToken(email: carlos.email, name: "t", on: app.useCases))
            #expect(try await luciaAPI.send(.POST, path, json: #"{"stance": "agree"}"#).status == .created)
            let absent = try await carlosAPI.send(.POST, path, json: #"{"stance": "agree"}"#)
            #expect(absent.status == .forbidden)
            #expect(absent.body.string.contains("not_present"))
            #expect(try await Conformity.query(on: app.db).count() == 1)
        }
    }
}
