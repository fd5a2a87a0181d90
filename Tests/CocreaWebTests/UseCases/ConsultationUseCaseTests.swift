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

    @Test(arguments: TestDatabase.all)
    func aDraftIsTheInstitutionsWorkUntilItIsPublished(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (facilitator, published) = try await publishedSurvey(app)
            let draft = try await SurveyOperations.create(
                SurveyInput(
                    title: "Trámites en línea del registro civil", description: "Borrador para la segunda mesa.",
                    questions: [QuestionDraft(prompt: "¿Hiciste algún trámite en línea?", kind: "singleChoice", required: true, options: ["Sí", "No"])]),
                in: facilitator, on: app.useCases)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                try await SurveyResponse(
                    surveyID: published.requireID(), answersJSON: #"{"q1":["No"]}"#, channel: "web", receivedAt: app.options.now()
                ).create(on: tx)
            }
            let listed = try await SurveyOperations.listWithResponseCounts(of: facilitator.exerciseID, on: app.useCases)
            #expect(Set(listed.map(\.survey.id)) == [published.id, draft.id])
            #expect(listed.first { $0.survey.id == published.id }?.responses == 1)
            #expect(listed.first { $0.survey.id == draft.id }?.responses == 0)
            #expect(try await SurveyOperations.published(on: app.useCases).map(\.id) == [published.id])
            #expect(try await SurveyOperations.publicSurvey(published.requireID(), on: app.useCases).title == published.title)
            await #expect("a draft is unknown to the public") {
                try await SurveyOperations.publicSurvey(draft.requireID(), on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }
}
