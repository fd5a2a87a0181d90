import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaUseCases
@testable import CocreaWeb

/// Issue 18, point 3: the PAL's integration process, participants, measurement table and annexes,
/// written from the record as it stood when the version was frozen, in the PDF and the reading view.
@Suite struct PlanRecordTests {
    /// A frozen plan, then what happened around it: a table held and closed two days before the
    /// freezing (its minutes and attendance), one held after it, the dossier sent before it, and
    /// proposals received before and after it.
    static func process(_ app: Application) async throws -> SigningFlowTests.Setup {
        let setup = try await SigningFlowTests.frozenPlan(app)
        let exerciseID = try setup.fixture.exercise.requireID()
        let frozenAt = try #require(try await PlanVersion.find(setup.version.id, on: app.db)).frozenAt
        // Members carry the wall clock's creation time, the version the test clock's: they joined a month before.
        try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).set(\.$createdAt, to: frozenAt.addingTimeInterval(-30 * 86_400))
            .update()
        let members = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).all()
        let speaker = try #require(members.first { $0.sector == .civilSociety }?.id)
        let problem = try #require(try await DossierItem.query(on: app.db).filter(\.$exercise.$id == exerciseID).first())
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            try await DossierDistribution(
                exerciseID: exerciseID, version: 1, contentSHA256: String(repeating: "ab", count: 32), itemCount: 1, sentByUserID: nil,
                sentAt: frozenAt.addingTimeInterval(-12 * 86_400)
            ).create(on: tx)
            for (offset, place, text) in [
                (-2.0, "Sala de juntas del ITEI, Guadalajara", "Pedimos que el tablero muestre las recetas no surtidas por clínica."),
                (1.0, "Auditorio de la Secretaría de Salud", "Esta mesa se celebró después de congelar la versión."),
            ] {
                let startsAt = frozenAt.addingTimeInterval(offset * 86_400)
                let table = Roundtable(exerciseID: exerciseID, startsAt: startsAt, place: place)
                table.stage = .closed
                try await table.create(on: tx)
                for other in members {
                    let presence: Presence = other.sector == .institution ? .represented : other.sector == .civilSociety ? .present : .absent
                    try await Attendance(
                        roundtableID: table.id!, memberID: other.id!, presence: presence,
                        representedBy: presence == .represented ? "Ing. Raúl Medina Soto" : nil
                    ).create(on: tx)
                }
                try await Intervention(
                    roundtableID: table.id!, memberID: speaker, dossierItemID: problem.id, kind: .contribution, text: text,
                    recordedByUserID: nil
                ).create(on: tx)
                let sequence = offset < 0 ? 1 : 10
                for (step, stage) in [RoundtableStage.introduction, .analysis, .closed].enumerated() {
                    try await RoundtableEvent(
                        sequence: sequence + step, roundtableID: table.id!, kind: "stage",
                        payload: #"{"type":"stage","at":"10:00","stage":"\#(stage.rawValue)"}"#,
                        occurredAt: startsAt.addingTimeInterval(Double(step) * 1_800)
                    ).create(on: tx)
                }
            }
            for (offset, outcome) in [(-5.0, ProposalOutcome.incorporated), (-4, nil), (3, .notIncorporated)] {
                let proposal = Proposal()
                proposal.$exercise.id = exerciseID
                proposal.problem = "Las recetas del centro de salud de Tepatitlán se surten incompletas"
                proposal.solution = "Publicar el abasto de cada farmacia"
                proposal.theme = "Salud"
                proposal.receivedAt = frozenAt.addingTimeInterval(offset * 86_400)
                proposal.status = .published
                proposal.moderationReason = ""
                proposal.email = "rosa.martinez.vecina@correo.example"
                proposal.outcome = outcome
                proposal.responseReason = outcome == nil ? "" : "Respondida por el STL."
                proposal.commitmentIDs = []
                proposal.respondedAt = outcome == nil ? nil : proposal.receivedAt.addingTimeInterval(86_400)
                proposal.respondedBy = outcome == nil ? "" : "Lic. Jorge Ramírez Ochoa"
                try await proposal.create(on: tx)
            }
        }
        return setup
    }

    static func text(_ pdf: Data) async throws -> String {
        try await Tool.output(["pdftotext", "FILE", "-"], input: pdf).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The text between two headings, as pdftotext reads it.
    static func section(_ text: String, from start: String, to end: String) throws -> String {
        let from = try #require(text.range(of: start), "no «\(start)»").upperBound
        let to = try #require(text.range(of: end, range: from..<text.endIndex), "no «\(end)» after «\(start)»").lowerBound
        return String(text[from..<to])
    }

    @Test(arguments: TestDatabase.all)
    func thePALCarriesTheProcessItsParticipantsItsMeasurementAndEachTablesMinutesAsFrozen(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.process(app)
            let pdf = Data(buffer: try await setup.facilitator.send(.GET, setup.versionPath + "/document.pdf").body)
            let text = try await Self.text(pdf)

            let process = try Self.section(text, from: "Proceso de integración", to: "Participantes")
            #expect(process.contains("El expediente previo se envió a las personas integrantes del Secretariado Técnico Local el"))
            #expect(process.contains("Se celebró 1 mesa de diálogo."), "the table held after the freezing is not part of this version's process")
            #expect(process.contains("Propuestas ciudadanas recibidas 2"))
            #expect(process.contains("Propuestas con respuesta: Incorporada 1"))
            #expect(process.contains("Propuestas sin respuesta al congelar esta versión 1"))
            #expect(process.contains("Problemática 1"), "the dossier's items by kind")

            let participants = try Self.section(text, from: "Participantes", to: "VIII. Medición de compromisos")
            #expect(participants.contains("El Secretariado Técnico Local se integró con 4 personas."))
            #expect(participants.contains("Organismo garante 2"))
            #expect(participants.contains("Asistencia por sector en cada mesa"))

            let measurement = try Self.section(text, from: "VIII. Medición de compromisos", to: "IX. Anexos")
            for title in ["Contrataciones abiertas de la Secretaría de Salud", "Inventario mensual de medicamentos"] {
                #expect(measurement.contains(title))
            }
            #expect(measurement.components(separatedBy: "Porcentaje").count - 1 == 5, "each commitment's indicator")
            #expect(measurement.components(separatedBy: "0% 100 %").count - 1 == 5, "each commitment's baseline and target")
            #expect(measurement.components(separatedBy: "Portal de datos abiertos 15/01/2027 – 15/12/2027").count - 1 == 5, "its means and dates")

            let annexes = try Self.section(text, from: "IX. Anexos", to: "Firmas (Anexo 2)")
            #expect(annexes.contains("Anexo 1.1. Mesa de diálogo del"))
            #expect(annexes.contains("Sala de juntas del ITEI, Guadalajara"))
            #expect(annexes.contains("Pedimos que el tablero muestre las recetas no surtidas por clínica."), "the table's minutes")
            #expect(annexes.contains("Insumo: Desabasto de medicamentos"), "the dossier item it was about")
            for name in ["Lic. Jorge Ramírez Ochoa", "Mtro. Tomás Aguilar Reyes", "Lucía Hernández Paredes"] {
                #expect(annexes.contains(name), "its attendance list names each member")
            }
            #expect(annexes.contains("Representada por Ing. Raúl Medina Soto"))
            #expect(annexes.contains("Presente") && annexes.contains("Ausente"))
            #expect(!annexes.contains("Anexo 1.2"), "a table held after the freezing")
            #expect(!annexes.contains("Esta mesa se celebró después de congelar la versión."))
            #expect(!text.contains("Auditorio de la Secretaría de Salud"))

            for email in setup.fixture.members.values.map(\.email) + ["rosa.martinez.vecina@correo.example"] {
                #expect(!text.contains(email), "no email in the PAL")
            }
            #expect(!text.contains("@"), "no email in the PAL")

            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let sealed = Data(buffer: try await APIClient(app: app, token: nil).send(.GET, setup.versionPath + "/sealed.pdf").body)
            let report = try await Tool.output(["pdfsig", "FILE"], input: sealed)
            #expect(report.contains("Signature is Valid"), "\(report)")
            #expect(
                try await Self.text(sealed).contains("Pedimos que el tablero muestre las recetas no surtidas por clínica."), "the sealed PAL keeps its annexes")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMemberAddedAfterTheFreezingIsNeitherAParticipantNorOnAnyAttendanceListOfThatVersion(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.process(app)
            let exerciseID = try setup.fixture.exercise.requireID()
            let invited = try await setup.facilitator.send(
                .POST, "/api/v1/exercises/\(exerciseID)/members",
                json:
                    #"{"name": "Mtra. Elena Vázquez Torres", "email": "elena.vazquez@itei.example", "sector": "guarantor", "organization": "ITEI", "role": "member"}"#
            )
            #expect(invited.status.code < 300, "\(invited.body.string)")
            let frozenAt = try #require(try await PlanVersion.find(setup.version.id, on: app.db)).frozenAt
            try await Member.query(on: app.db).filter(\.$email == "elena.vazquez@itei.example").set(\.$createdAt, to: frozenAt.addingTimeInterval(86_400))
                .update()

            let text = try await Self.text(Data(buffer: try await setup.facilitator.send(.GET, setup.versionPath + "/document.pdf").body))
            let participants = try Self.section(text, from: "Participantes", to: "VIII. Medición de compromisos")
            #expect(participants.contains("El Secretariado Técnico Local se integró con 4 personas."), "\(participants)")
            #expect(participants.contains("Organismo garante 2"))
            let attendance = try Self.section(text, from: "Lista de asistencia", to: "Relatoría")
            #expect(attendance.contains("Lucía Hernández Paredes") && !attendance.contains("Elena Vázquez Torres"), "nor on the table's attendance list")
        }
    }

    @Test func theReadingViewShowsTheSameRecordAsThePDF() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.process(app)
            let exercise = try setup.fixture.exercise.requireID()
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password)
            let reading = try await browser.get("/exercises/\(exercise)/plan/reading").body.string
            let order = [
                "<h3>Proceso de integración</h3>", "Se celebró 1 mesa de diálogo.", "<h3>Participantes</h3>", "<caption>Integrantes por sector</caption>",
                ". Inventario mensual de medicamentos</h", "<h2>VIII. Medición de compromisos</h2>", "<td>Porcentaje publicado</td>", "<h2>IX. Anexos</h2>",
                "<h3>Anexo 1.1. Mesa de diálogo del",
                "<caption>Lista de asistencia</caption>", "<td>Lucía Hernández Paredes</td><td>Sociedad civil</td>", "<caption>Relatoría</caption>",
                "<td>Pedimos que el tablero muestre las recetas no surtidas por clínica.",
            ]
            var from = reading.startIndex
            for part in order {
                let found = try #require(reading.range(of: part, range: from..<reading.endIndex), "«\(part)» missing or out of order")
                from = found.upperBound
            }
            #expect(!reading.contains("Esta mesa se celebró después de congelar la versión."), "a table whose day has not come")
            #expect(!reading.contains("rosa.martinez.vecina@correo.example"))
        }
    }
}
