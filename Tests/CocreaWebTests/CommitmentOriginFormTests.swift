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

/// Issue 20, point 4, on the plan page: the STL links a commitment to survey results and
/// information-request topics with the commitment's form, and unlinks them by leaving them unchosen.
@Suite struct CommitmentOriginFormTests {
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
    func theCommitmentFormLinksSurveyResultsAndRequestTopicsAndUncheckingClearsThem(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let survey = try await SurveyOperations.create(
                SurveyInput(
                    title: "Abasto de medicamentos en Los Altos", description: "",
                    questions: [
                        QuestionDraft(
                            prompt: Self.question, kind: "singleChoice", required: true,
                            options: ["Faltaron medicamentos", "Me cobraron la receta", "Ninguno"])
                    ]), in: facilitator, on: app.useCases)
            _ = try await SurveyOperations.publish(survey, in: facilitator, on: app.useCases)
            let recipes = try await Self.topic("receta · medicamento · surtir", size: 37, in: fixture.exercise, on: app)
            let potholes = try await Self.topic("bache · calle · colonia", size: 12, in: fixture.exercise, on: app)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password)
            let plan = "/exercises/\(fixture.exercise.id!)/plan"
            let answer = "\(try survey.requireID().uuidString)|p1|Faltaron medicamentos"
            let wholeQuestion = "\(try survey.requireID().uuidString)|p1|"

            let empty = try await browser.get(plan).body.string
            #expect(empty.contains(#"<label for="finding-1">Resultado de encuesta 1</label>"#))
            #expect(empty.contains(#"<option value="\#(answer)">«\#(Self.question)»: respuesta «Faltaron medicamentos»</option>"#))
            #expect(empty.contains(#"<label for="topic-\#(recipes.id!.uuidString)">receta · medicamento · surtir (37 solicitudes)</label>"#))

            let fields: [(String, String)] = [
                ("title", "Inventario mensual de medicamentos"), ("category", "procurement"), ("startsOn", "2027-01-15"), ("endsOn", "2027-12-15"),
            ]
            let created = try await browser.post(
                plan + "/commitments",
                form: fields + [("consultationFindings[]", answer), ("consultationFindings[]", ""), ("requestTopicIds[]", recipes.id!.uuidString)])
            #expect(created.status == .seeOther, "\(created.body.string.prefix(400))")
            let commitment = try #require(try await Commitment.query(on: app.db).first())
            var origin = try #require(try await CommitmentOperations.readWithOrigin(commitment.requireID(), on: app.useCases).origin)
            #expect(origin.consultationFindings.map(\.question) == [Self.question] && origin.consultationFindings.first?.option == "Faltaron medicamentos")
            #expect(origin.requestTopics.map(\.label) == ["receta · medicamento · surtir"])

            let edit = try await browser.get(plan).body.string
            #expect(edit.contains(#"<option value="\#(answer)" selected>"#), "the edit form shows the stored finding")
            #expect(edit.contains(#"name="requestTopicIds[]" value="\#(recipes.id!.uuidString)" checked>"#))
            #expect(edit.contains(#"name="requestTopicIds[]" value="\#(potholes.id!.uuidString)">"#))

            let changed = try await browser.post(
                plan + "/commitments/\(commitment.id!)",
                form: fields + [
                    ("revision", "\(commitment.revision)"), ("consultationFindings[]", wholeQuestion), ("consultationFindings[]", ""),
                    ("consultationFindings[]", ""), ("requestTopicIds[]", potholes.id!.uuidString),
                ])
            #expect(changed.status == .seeOther, "\(changed.body.string.prefix(400))")
            origin = try #require(try await CommitmentOperations.readWithOrigin(commitment.requireID(), on: app.useCases).origin)
            #expect(origin.consultationFindings.map(\.question) == [Self.question] && origin.consultationFindings.first?.option == nil)
            #expect(origin.requestTopics.map(\.label) == ["bache · calle · colonia"], "the unchecked topic is unlinked")

            let cleared = try await browser.post(
                plan + "/commitments/\(commitment.id!)",
                form: fields + [("revision", "\(commitment.revision + 1)"), ("consultationFindings[]", ""), ("consultationFindings[]", "")])
            #expect(cleared.status == .seeOther, "\(cleared.body.string.prefix(400))")
            let stored = try #require(try await Commitment.find(commitment.id, on: app.db))
            #expect(stored.consultationFindingsJSON == nil && stored.requestTopicIDsJSON == nil, "nothing chosen, nothing linked")
        }
    }
}
