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

/// The PAL's narrative sections, written by the STL, without HTTP: stored normalised, refused whole
/// when too long, frozen into a version only when written, and shown as that version froze them.
@Suite struct PlanNarrativeUseCaseTests {
    static let oaxaca = PlanNarrativeInput(
        contextAndChallenges: "En Oaxaca, las solicitudes sobre obra pública tardan más de 20 días hábiles.  \r\n\r\n\r\nEl reto es abrir cada contrato.",
        normativeContext: "- Ley de Transparencia y Acceso a la Información Pública para el Estado de Oaxaca\n- Declaratoria de Gobierno Abierto de 2016",
        definitions: "- Obra pública: trabajos que contrata el municipio con recursos públicos.",
        strategicObjective: "Que la población de Oaxaca de Juárez vigile la obra pública de su colonia.",
        specificObjectives: "- Publicar cada contrato de obra en datos abiertos.\n- Instalar un comité de contraloría social por obra.")

    @Test(arguments: TestDatabase.all)
    func theSTLWritesTheNarrativeAndReadsItBackNormalised(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            #expect(try await PlanNarrativeOperations.read(fixture.exercise.requireID(), on: app.useCases).isEmpty)
            let saved = try await PlanNarrativeOperations.save(Self.oaxaca, in: facilitator, on: app.useCases)
            #expect(
                saved.contextAndChallenges == "En Oaxaca, las solicitudes sobre obra pública tardan más de 20 días hábiles.\n\nEl reto es abrir cada contrato.")
            #expect(try await PlanNarrativeOperations.read(fixture.exercise.requireID(), on: app.useCases) == saved)
            #expect(try await PlanNarrativeOperations.read(fixture.otherExercise.requireID(), on: app.useCases).isEmpty)
            var rewritten = Self.oaxaca
            rewritten.definitions = nil
            _ = try await PlanNarrativeOperations.save(rewritten, in: facilitator, on: app.useCases)
            #expect(try await PlanNarrativeOperations.read(fixture.exercise.requireID(), on: app.useCases).definitions == "")
            #expect(try await PlanNarrativeRecord.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSectionTooLongIsRefusedAndNothingChanges(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let saved = try await PlanNarrativeOperations.save(Self.oaxaca, in: facilitator, on: app.useCases)
            let events = try await AuditEvent.query(on: app.db).count()
            var long = Self.oaxaca
            long.strategicObjective = String(repeating: "Vigilar la obra pública. ", count: 200)
            long.normativeContext = "Sólo la Constitución."
            await #expect {
                try await PlanNarrativeOperations.save(long, in: facilitator, on: app.useCases)
            } throws: { error in
                let refusal = error as? CocreaError
                return refusal?.code == ErrorCode.validationFailed.rawValue
                    && refusal?.fieldErrors.map(\.message) == ["El objetivo estratégico admite hasta 3000 caracteres."]
            }
            #expect(try await PlanNarrativeOperations.read(fixture.exercise.requireID(), on: app.useCases) == saved)
            #expect(try await AuditEvent.query(on: app.db).count() == events)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aVersionCarriesTheNarrativeOnlyWhenWrittenAndItsPALShowsItAsFrozen(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let facilitator = try await setup.fixture.context("facilitator", on: app)
            let first = try #require(try await PlanVersion.find(setup.version.id, on: app.db))
            #expect(!first.content.contains("\"narrative\""), "a plan frozen before the STL wrote anything keeps its content")

            // Writing the narrative is an edit of the plan: a new version carries it.
            let written = try await PlanNarrativeOperations.save(Self.oaxaca, in: facilitator, on: app.useCases)
            let second = try #require(try await PlanVersionOperations.versions(of: setup.fixture.exercise.requireID(), on: app.useCases).last)
            #expect(second.number == 2)
            #expect(try PlanVersionOperations.content(of: second).narrative == written)

            var draft = Self.oaxaca
            draft.strategicObjective = "Borrador que la mesa todavía discute."
            _ = try await PlanNarrativeOperations.save(draft, in: facilitator, on: app.useCases)
            let document = try await PlanDocumentOperations.document(of: second, baseURL: "https://cocrea.oaxaca.gob.mx", on: app.db)
            #expect(document.narrative.strategicObjective == "Que la población de Oaxaca de Juárez vigile la obra pública de su colonia.")
            #expect(try await PlanDocumentOperations.document(of: first, baseURL: "https://cocrea.oaxaca.gob.mx", on: app.db).narrative.isEmpty)
        }
    }

    @Test func aPlanFrozenWithoutTheNarrativeHashesExactlyAsBefore() {
        let (exercise, commitments) = CommitmentTemplateTests.planAgreedBeforeTheTemplateGrew()
        // The hash the code before the narrative gave this plan (CommitmentTemplateTests pins it too):
        // freezing now reads the empty narrative and must leave it out.
        let content = PlanVersionOperations.canonical(exercise: exercise, commitments: commitments, narrative: PlanNarrative())
        #expect(Hashing.sha256Hex(content) == "1c2287aac2228d0c840b90875f59fd5397c0636ad537b83fd319b0a11e856143")
        var narrative = PlanNarrative()
        narrative.definitions = "- Obra pública: trabajos que contrata el municipio."
        #expect(PlanVersionOperations.canonical(exercise: exercise, commitments: commitments, narrative: narrative).contains(#""narrative":{"#))
    }
}
