import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Issue 20, point 5: the co-creation record, without HTTP. A published and sealed exercise whose table
/// moved once, with a closed table, a consultation, three proposals (one incorporated, one not, one hidden)
/// and the whole STL's signatures.
@Suite struct CoCreationRecordUseCaseTests {
    static let proposer = "rosa.martinez.vecina@correo.example"

    struct Record {
        var setup: SigningFlowTests.Setup
        var tableID: UUID
    }

    /// The process as the IRM would look at it, made through the API where the product has one.
    static func process(_ app: Application, clock: TestClock) async throws -> Record {
        let setup = try await SigningFlowTests.frozenPlan(app)
        let exerciseID = try setup.fixture.exercise.requireID()
        let base = "/api/v1/exercises/\(exerciseID.uuidString.lowercased())"
        #expect(try await setup.facilitator.send(.POST, base + "/publication").status == .ok)
        let roadmap = { (day: String, place: String) in
            """
            [{"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2026-11-20", "place": "Auditorio del ITEI, Guadalajara"},
             {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "\(day)", "place": "\(place)"}]
            """
        }
        #expect(try await setup.facilitator.send(.PUT, base + "/roadmap", json: roadmap("2026-11-24", "Sala Juárez")).status == .ok)
        clock.advance(by: 86_400)
        #expect(
            try await setup.facilitator.send(.PUT, base + "/roadmap", json: roadmap("2026-11-26", "Sala de juntas de la Secretaría de Salud")).status
                == .ok)

        let members = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).all()
        let commitments = try await Commitment.query(on: app.db).filter(\.$exercise.$id == exerciseID).all()
        let inventory = try #require(commitments.first { $0.title == "Inventario mensual de medicamentos" })
        let tableID = UUID()
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            // 26/11/2026 10:00 in Guadalajara.
            let table = Roundtable(
                exerciseID: exerciseID, startsAt: Date(timeIntervalSince1970: 1_795_708_800), place: "Sala de juntas de la Secretaría de Salud")
            table.id = tableID
            table.stage = .closed
            try await table.create(on: tx)
            for member in members {
                let presence: Presence = member.sector == .civilSociety ? .absent : .present
                try await Attendance(roundtableID: tableID, memberID: member.id!, presence: presence, representedBy: nil).create(on: tx)
            }
            let speaker = try #require(members.first { $0.sector == .institution })
            try await Intervention(
                roundtableID: tableID, memberID: speaker.id!, dossierItemID: nil, kind: .contribution,
                text: "Proponemos publicar el inventario de cada unidad médica cada mes.", recordedByUserID: nil
            ).create(on: tx)
            for (sequence, stage) in [RoundtableStage.introduction, .analysis].enumerated() {
                try await RoundtableEvent(
                    sequence: sequence + 1, roundtableID: tableID, kind: "stage", payload: #"{"type":"stage","at":"10:00","stage":"\#(stage.rawValue)"}"#,
                    occurredAt: Date(timeIntervalSince1970: 1_795_708_800 + Double(sequence) * 1_800)
                ).create(on: tx)
            }

            let survey = Survey()
            survey.$exercise.id = exerciseID
            survey.title = "Abasto de medicamentos"
            survey.description = ""
            survey.questionsJSON = #"[{"id":"p1","kind":"singleChoice","options":["Sí","No"],"prompt":"¿Encontraste tus medicamentos?","required":true}]"#
            survey.status = "published"
            survey.createdBy = "Secretaría de Salud Jalisco"
            survey.publishedAt = clock.now
            survey.revision = 1
            try await survey.create(on: tx)
            for answer in ["Sí", "No", "No"] {
                try await SurveyResponse(surveyID: survey.id!, answersJSON: #"{"p1":"\#(answer)"}"#, channel: "web", receivedAt: clock.now).create(on: tx)
            }

            let proposals: [(String, ProposalStatus, ProposalOutcome?, String, [UUID])] = [
                (
                    "Las recetas del centro de salud de Tepatitlán se surten incompletas", .published, .incorporated,
                    "Se incorpora como el inventario mensual de medicamentos.", [inventory.id!]
                ),
                ("El director del centro de salud no atiende a nadie", .hidden, nil, "", []),
                (
                    "Faltan rampas en la clínica de Arandas", .published, .notIncorporated,
                    "Es obra pública, fuera de los temas de este plan; se turnó a la Secretaría de Infraestructura.", []
                ),
            ]
            for (index, (problem, status, outcome, reason, ids)) in proposals.enumerated() {
                let proposal = Proposal()
                proposal.$exercise.id = exerciseID
                proposal.problem = problem
                proposal.solution = "Publicar y atender lo que propone la vecina"
                proposal.theme = "Salud"
                proposal.receivedAt = clock.now.addingTimeInterval(Double(index))
                proposal.status = status
                proposal.moderationReason = status == .hidden ? "Señala a una persona por su nombre." : ""
                proposal.email = Self.proposer
                proposal.emailConfirmedAt = proposal.receivedAt
                proposal.outcome = outcome
                proposal.responseReason = reason
                proposal.commitmentIDs = ids
                proposal.respondedAt = outcome == nil ? nil : clock.now.addingTimeInterval(3_600)
                proposal.respondedBy = outcome == nil ? "" : "Lic. Jorge Ramírez Ochoa"
                try await proposal.create(on: tx)
            }
        }
        #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
        return Record(setup: setup, tableID: tableID)
    }

    @Test(arguments: TestDatabase.all)
    func theRecordShowsEachStepAgainstTheRoadmapWhoTookPartAndHowEveryProposalWasAnswered(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let record = try await Self.process(app, clock: clock)
            let exercise = record.setup.fixture.exercise
            let facts = try await CoCreationRecordOperations.facts(of: exercise, on: app.db)
            let (visible, isPublic) = try await PublicExerciseOperations.visibleExercise(exercise.id, to: nil, on: app.useCases)
            #expect(isPublic, "a published exercise's record is anyone's")
            let document = try await CoCreationRecordOperations.document(of: visible, language: .es, on: app.useCases)

            let table = try #require(document.roadmap.first { $0.title == "Mesa de diálogo de salud" })
            #expect(table.dates == "26/11/2026")
            #expect(table.changes == ["24/11/2026 · Sala Juárez (anunciado el 18/11/2026)"], "the earlier date, and when it was announced")
            #expect(table.firstAnnounced == "18/11/2026")
            #expect(table.held == "26/11/2026", "the table held on the date announced last")

            let mesa = try #require(document.roundtables.first)
            #expect(mesa.attendance?.rows.first == ["Presente", "2", "1", "0", "3"], "present by sector: guarantor, institution, civil society")
            #expect(mesa.attendance?.rows[1] == ["Ausente", "0", "0", "1", "1"])
            #expect(mesa.interventions.first?[1] == "Institución pública", "the minutes attribute to a sector")
            #expect(mesa.stages.contains("Introducción"))

            let figures = Dictionary(uniqueKeysWithValues: document.consultation.map { ($0.label, $0.value) })
            #expect(figures["Respuestas a encuestas"] == "3")
            #expect(figures["Propuestas ciudadanas recibidas"] == "3")
            #expect(figures["Propuestas publicadas"] == "2")
            #expect(figures["Propuestas ocultas (con motivo público)"] == "1")
            #expect(figures["Propuestas publicadas aún sin respuesta"] == "0")
            #expect(document.outcomes.map(\.value) == ["1", "0", "0", "1"], "incorporated, partially, merged, not incorporated")
            #expect(document.hidden == [["2", "Señala a una persona por su nombre."]], "a hidden proposal: its number and public reason only")
            #expect(document.responses.map { $0[0] } == ["1", "3"])
            #expect(document.responses[0][4] == "Inventario mensual de medicamentos")

            #expect(document.versions.first?.changes == ["Primera versión: 5 compromisos."])
            #expect(document.signatures.count == 4)
            #expect(document.sealed.hasPrefix("El Plan de Acción Local (versión 1) quedó sellado"))
            let origin = try #require(document.traces.first { $0[0] == "Inventario mensual de medicamentos" })
            #expect(
                origin[1] == "Propuesta ciudadana 1 (Incorporada): «Las recetas del centro de salud de Tepatitlán se surten incompletas»\n"
                    + "Problemática del expediente: «Desabasto de medicamentos»", "its origin as its public page tells it")

            let rows = CoCreationRecordOperations.figures(of: facts)
            func value(_ figure: CoCreationFigure, _ category: String = "", sector: Sector? = nil) -> String? {
                rows.first { $0[0] == figure.rawValue && $0[1] == category && $0[2] == (sector?.rawValue ?? "") }?[5]
            }
            #expect(value(.surveyAnswers) == "3")
            #expect(value(.proposals, "hidden") == "1")
            #expect(value(.responses, "incorporated") == "1")
            #expect(value(.attendance, "present", sector: .guarantor) == "2")
            #expect(value(.signatures, sector: .guarantor) == "2")
            #expect(value(.roadmapChanges) == "1")
            #expect(!rows.joined().joined().contains(Self.proposer))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftsRecordIsOnlyForItsMembersAndAnUnknownExerciseIsNotFound(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let draft = try fixture.otherExercise.requireID()
            for exercise in [draft, UUID()] {
                await #expect {
                    try await PublicExerciseOperations.visibleExercise(exercise, to: nil, on: app.useCases)
                } throws: { isRefusal($0, .notFound) }
            }
            let ernesto = try #require(try await User.query(on: app.db).filter(\.$email == fixture.memberOfOther.email).first())
            let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(draft, to: ernesto, on: app.useCases)
            #expect(!isPublic)
            let document = try await CoCreationRecordOperations.document(of: exercise, language: .es, on: app.useCases)
            #expect(document.summary.first == "Borrador: el ejercicio aún no se publica; esta memoria solo la ve el STL.")
        }
    }
}
