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

/// Public consultation surveys, without HTTP.
@Suite struct ConsultationUseCaseTests {
    private func publishedSurvey(_ app: Application) async throws -> (ExerciseContext, Survey) {
        let fixture = try await Fixture.make(on: app)
        let facilitator = try await fixture.context("facilitator", on: app)
        let input = SurveyInput(
            title: "Abasto de medicamentos en tu centro de salud", description: "Cuéntanos si encontraste tus medicamentos.",
            questions: [
                QuestionDraft(prompt: "¿Encontraste todos tus medicamentos?", kind: "singleChoice", required: true, options: ["Sí", "No"]),
                QuestionDraft(prompt: "¿Cómo calificas la atención en la farmacia?", kind: "scale", required: false, options: []),
            ])
        let draft = try await SurveyOperations.create(input, in: facilitator, on: app.useCases)
        return (facilitator, try await SurveyOperations.publish(draft, in: facilitator, on: app.useCases))
    }

    @Test(arguments: TestDatabase.all)
    func aPublishedSurveyIsOpenToAnyone(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (_, survey) = try await publishedSurvey(app)
            let open = try await SurveyOperations.answerable(survey.requireID(), on: app.useCases)
            #expect(open.status == .published)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aClosedSurveyTakesNoMoreAnswers(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (facilitator, survey) = try await publishedSurvey(app)
            _ = try await SurveyOperations.close(survey, in: facilitator, on: app.useCases)
            await #expect {
                try await SurveyOperations.answerable(survey.requireID(), on: app.useCases)
            } throws: { isRefusal($0, .surveyClosed) }
        }
    }
}
