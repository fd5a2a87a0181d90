import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Issue 20, point 4: besides proposals, dossier problems, table interventions and national commitments,
/// a commitment's origin names the survey results and the information-request topics the STL linked it
/// to when editing it; the public reads them, the PAL's «Origen del compromiso» words them, and a plan
/// without them hashes as before.
@Suite struct CommitmentOriginSourcesTests {
    static let catalogue = try! Catalogue.load(directory: URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Resources/Locales"))
    static let question = "¿Qué problema encontró al surtir su receta en el centro de salud?"

    private static func topic(_ label: String, size: Int, in exercise: Exercise, on app: Application) async throws -> CocreaStore.RequestTopic {
        let topic = CocreaStore.RequestTopic()
        topic.$exercise.id = try exercise.requireID()
        topic.label = label
        topic.termsJSON = JSON.canonical(label.components(separatedBy: " · "))
        topic.size = size
        topic.position = 0
        topic.detectedAt = app.options.now()
        try await topic.create(on: app.db)
        return topic
    }

    @Test(arguments: TestDatabase.all)
    func aCommitmentNamesTheSurveyResultsAndRequestTopicsItAnswersWhereverItsOriginIsRead(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let fixture = setup.fixture
            let facilitator = try await fixture.context("facilitator", on: app)
            _ = try await PublicationOperations.publish(facilitator, on: app.useCases)
            let before = try #require(try await PlanVersionOperations.versions(of: fixture.exercise.requireID(), on: app.useCases).last)
            #expect(!before.content.contains("consultationFindings") && !before.content.contains("requestTopicIds"), "a plan without them reads as before")

            let survey = try await SurveyOperations.create(
                SurveyInput(
                    title: "Abasto de medicamentos en Los Altos", description: "",
                    questions: [
                        QuestionDraft(
                            prompt: Self.question, kind: "singleChoice", required: true,
                            options: ["Faltaron medicamentos", "Me cobraron la receta", "Ninguno"])
                    ]), in: facilitator, on: app.useCases)
            _ = try await SurveyOperations.publish(survey, in: facilitator, on: app.useCases)
            let draft = try await SurveyOperations.create(
                SurveyInput(
                    title: "Encuesta en preparación", description: "",
                    questions: [QuestionDraft(prompt: "¿Cómo llegó?", kind: "shortText", required: false, options: nil)]),
                in: facilitator, on: app.useCases)
            let topic = try await Self.topic("receta · medicamento · surtir", size: 37, in: fixture.exercise, on: app)
            let unlinked = try await Self.topic("bache · calle · colonia", size: 12, in: fixture.exercise, on: app)
            let foreign = try await Self.topic("agua · pipa · colonia", size: 9, in: fixture.otherExercise, on: app)

            let inventory = try #require(try await Commitment.query(on: app.db).filter(\.$title == "Inventario mensual de medicamentos").first())
            let current = try await CommitmentOperations.readWithOrigin(inventory.requireID(), on: app.useCases)
            var input = try JSONDecoder().decode(CommitmentInput.self, from: JSONEncoder().encode(current))
            let finding = ConsultationFindingLink(surveyId: try survey.requireID(), questionId: "p1", option: "Faltaron medicamentos")

            for (findings, topics, field) in [
                ([ConsultationFindingLink(surveyId: try draft.requireID(), questionId: "p1")], [UUID](), "consultationFindings[0].surveyId"),
                ([ConsultationFindingLink(surveyId: try survey.requireID(), questionId: "p7")], [], "consultationFindings[0].questionId"),
                ([ConsultationFindingLink(surveyId: try survey.requireID(), questionId: "p1", option: "Otra")], [], "consultationFindings[0].option"),
                ([finding], [try foreign.requireID()], "requestTopicIds[0]"),
                // Past twenty links the refusal names the bound alone: none of them is looked up.
                (Array(repeating: ConsultationFindingLink(surveyId: try draft.requireID(), questionId: "p1"), count: 21), [], "consultationFindings"),
                ([finding], Array(repeating: try foreign.requireID(), count: 21), "requestTopicIds"),
            ] {
                input.consultationFindings = findings
                input.requestTopicIds = topics
                await #expect("\(field)") {
                    try await CommitmentOperations.update(inventory.requireID(), with: input, in: facilitator, on: app.useCases)
                } throws: { error in
                    isRefusal(error, .validationFailed) && (error as? CocreaError)?.fieldErrors.map(\.field) == [field]
                }
            }
            #expect(try await Commitment.find(inventory.requireID(), on: app.db)?.revision == current.revision, "a refused link changes nothing")

            input.consultationFindings = [finding, finding]
            input.requestTopicIds = [try topic.requireID()]
            let linked = try await CommitmentOperations.update(inventory.requireID(), with: input, in: facilitator, on: app.useCases)
            #expect(linked.consultationFindings == [finding], "each finding once")
            let origin = try #require(try await CommitmentOperations.readWithOrigin(inventory.requireID(), on: app.useCases).origin)
            #expect(origin.consultationFindings.map(\.question) == [Self.question] && origin.consultationFindings.first?.option == "Faltaron medicamentos")
            #expect(origin.requestTopics.map(\.label) == ["receta · medicamento · surtir"] && origin.requestTopics.first?.requests == 37)
            let everyone = try await PublicCommitmentOperations.read(inventory.requireID(), on: app.useCases).origin
            #expect(everyone.consultationFindings == origin.consultationFindings && everyone.requestTopics == origin.requestTopics, "the public reads them")

            let words = Self.catalogue.words(.es)
            let lines = origin.lines(words, in: fixture.exercise.zone)
            #expect(
                lines.contains(
                    "Resultado de la encuesta «Abasto de medicamentos en Los Altos»: «\(Self.question)», respuesta «Faltaron medicamentos»"))
            #expect(lines.contains("Tema recurrente de las solicitudes de acceso a la información: receta · medicamento · surtir (37 solicitudes)"))

            // The edit froze a new version, which carries the links and words them in the PAL.
            let refrozen = try #require(try await PlanVersionOperations.versions(of: fixture.exercise.requireID(), on: app.useCases).last)
            #expect(refrozen.number == before.number + 1)
            let document = try await PlanDocumentOperations.document(of: refrozen, baseURL: app.options.baseURL, on: app.db)
            let agreed = try #require(document.commitments.first { $0.title == "Inventario mensual de medicamentos" })
            #expect(
                agreed.origin.contains(.consultation(survey: "Abasto de medicamentos en Los Altos", question: Self.question, option: "Faltaron medicamentos")))
            #expect(agreed.origin.contains(.requestTopic(label: "receta · medicamento · surtir", requests: 37)))

            // Finding the topics again keeps the one a commitment names, as its origin.
            try await RequestOperations.redetect(topicCount: nil, in: facilitator, on: app.useCases)
            #expect(try await CocreaStore.RequestTopic.find(topic.requireID(), on: app.db) != nil)
            #expect(try await CocreaStore.RequestTopic.find(unlinked.requireID(), on: app.db) == nil)

            // Without the links again, the plan hashes as it did before they existed.
            input.consultationFindings = []
            input.requestTopicIds = []
            input.revision = linked.revision
            _ = try await CommitmentOperations.update(inventory.requireID(), with: input, in: facilitator, on: app.useCases)
            let unlinkedVersion = try #require(try await PlanVersionOperations.versions(of: fixture.exercise.requireID(), on: app.useCases).last)
            #expect(unlinkedVersion.number == refrozen.number + 1 && unlinkedVersion.sha256 == before.sha256)
        }
    }
}
