import CocreaConsultation
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// A survey's results and downloads read its responses a page at a time: 50,000 answers read at once
/// took 520 MB more memory. The pages must add up to exactly what reading them all at once gives.
@Suite struct SurveyPagingTests {
    static let centres = [
        "Centro de Salud Tepatitlán", "Centro de Salud Arandas", "Hospital Regional de Lagos de Moreno",
        "Centro de Salud San Juan de los Lagos", "Unidad de Medicina Familiar 12 de Ocotlán",
    ]

    /// `count` answers to the medicines survey, four to a received time (so pages end inside a group
    /// of equal times), at times with microseconds.
    static func storeResponses(_ count: Int, to surveyID: UUID, on app: Application) async throws {
        let start = Date(timeIntervalSince1970: 1_795_000_000.123457)
        let responses = (0..<count).map { index in
            var answers: [String: AnswerValue] = ["p1": .one(index % 3 == 0 ? "No" : "Sí")]
            if index % 3 == 0 { answers["p2"] = .many([["Insulina"], ["Metformina", "Losartán"], ["Insulina", "Losartán"]][index % 9 / 3]) }
            if index % 5 != 4 { answers["p3"] = .number(index * 7 % 5 + 1) }
            if index % 2 == 0 { answers["p4"] = .one("\(centres[index % centres.count]) (respuesta \(index))") }
            return SurveyResponse(
                surveyID: surveyID, answersJSON: JSON.canonical(answers), channel: index % 4 == 0 ? "kiosk" : "web",
                receivedAt: start.addingTimeInterval(Double(index / 4) * 61.000_013))
        }
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            for start in stride(from: 0, to: responses.count, by: 250) {
                try await Array(responses[start..<min(start + 250, responses.count)]).create(on: tx)
            }
        }
    }

    static func encoded(_ results: SurveyResults) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }

    @Test(arguments: TestDatabase.all)
    func resultsReadInPagesEqualResultsReadAtOnce(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SurveyFlowTests.survey(app)
            let survey = try #require(try await Survey.find(UUID(uuidString: setup.surveyID), on: app.db))
            try await Self.storeResponses(1_203, to: survey.requireID(), on: app)

            let all = try await SurveyResponse.query(on: app.db).filter(\.$survey.$id == survey.requireID())
                .sort(\.$receivedAt, .descending).sort(\.$id, .descending).all()
            let atOnce = SurveyResults(
                definition: try survey.definition,
                responses: try all.map { try JSONDecoder().decode([String: AnswerValue].self, from: Data($0.answersJSON.utf8)) })
            #expect(atOnce.responseCount == 1_203)
            #expect(atOnce.questions[3].texts.count == SurveyResults.textSample)
            #expect(
                ["Centro de Salud Tepatitlán (respuesta 1200)", "Hospital Regional de Lagos de Moreno (respuesta 1202)"]
                    .contains(atOnce.questions[3].texts.first ?? ""), "newest first")

            var pages: [[UUID]] = []
            try await SurveyOperations.forEachPage(of: survey, size: 97, on: app.db) { rows in pages.append(rows.map(\.id)) }
            #expect(pages.allSatisfy { $0.count <= 97 }, "no more rows held than a page")
            #expect(pages.count == 13)
            #expect(pages.flatMap { $0 } == all.map { $0.id! }, "every response once, newest first")

            for size in [97, SurveyOperations.pageSize] {
                #expect(
                    try Self.encoded(try await SurveyOperations.results(of: survey, pageSize: size, on: app.useCases)) == Self.encoded(atOnce),
                    "pages of \(size)")
            }

            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: setup.fixture.members["institution"]!.email, password: Fixture.password).status == .seeOther)
            let csv = try await browser.get("/exercises/\(setup.exerciseID)/surveys/\(setup.surveyID)/responses.csv")
            #expect(csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 1_203)
            let json = try await browser.get("/exercises/\(setup.exerciseID)/surveys/\(setup.surveyID)/responses.json")
            #expect(try SurveyFlowTests.list(json).map { $0["id"] as? String } == all.map { $0.id!.uuidString })
            let api = try SurveyFlowTests.list(try await setup.institution.send(.GET, "/api/v1/surveys/\(setup.surveyID)/responses"))
            #expect(api.count == 1_203)
        }
    }
}
