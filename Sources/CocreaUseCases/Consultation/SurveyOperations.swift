import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import NIOCore
import SQLKit

package struct SurveyInput: Codable, Sendable {
    package var title: String?
    package var description: String?
    package var questions: [QuestionDraft]?

    package init(title: String? = nil, description: String? = nil, questions: [QuestionDraft]? = nil) {
        self.title = title
        self.description = description
        self.questions = questions
    }
}

package struct SurveyDTO: Codable, Sendable {
    package var id: UUID
    package var exerciseId: UUID
    package var title: String
    package var description: String
    package var status: SurveyStatus
    package var questions: [SurveyQuestion]
    package var publishedAt: Date?
    package var closedAt: Date?
    package var revision: Int

    package init(_ survey: Survey) throws {
        id = try survey.requireID()
        exerciseId = survey.$exercise.id
        title = survey.title
        description = survey.description
        status = survey.surveyStatus
        questions = try survey.definition.questions
        publishedAt = survey.publishedAt
        closedAt = survey.closedAt
        revision = survey.revision
    }
}

package struct SurveyResponseInput: Codable, Sendable {
    package var answers: [String: AnswerInput]?
    package var channel: String?
    /// The honeypot: people never see this field, so anything in it came from a program filling every field.
    package var website: String?

    package init(answers: [String: AnswerInput]? = nil, channel: String? = nil, website: String? = nil) {
        self.answers = answers
        self.channel = channel
        self.website = website
    }
}

/// A JSON answer as sent: a text, a list of options or a number.
package enum AnswerInput: Codable, Sendable {
    case values([String])

    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .values([text])
        } else if let number = try? container.decode(Int.self) {
            self = .values([String(number)])
        } else if let list = try? container.decode([String].self) {
            self = .values(list)
        } else {
            throw CocreaError.invalidBody("bodyAnswerInvalid", at: decoder.codingPath)
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if case .values(let values) = self { try container.encode(values) }
    }

    package var values: [String] { if case .values(let values) = self { values } else { [] } }
}

package struct SurveyReceiptDTO: Codable, Sendable {
    package var id: UUID
    package var receivedAt: Date

    package init(id: UUID, receivedAt: Date) {
        self.id = id
        self.receivedAt = receivedAt
    }
}

/// Consultation surveys: the institution builds and publishes them, anyone answers, the results turn
/// into dossier findings.
package enum SurveyOperations {
    package static let honeypotField = "sitio_web"

    package static func create(_ input: SurveyInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        let definition = try SurveyDefinition.build(title: input.title, description: input.description, questions: input.questions ?? [])
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let survey = Survey()
            survey.$exercise.id = context.exerciseID
            survey.status = SurveyStatus.draft.rawValue
            survey.createdBy = context.byline
            survey.revision = 1
            apply(definition, to: survey)
            try await survey.create(on: tx)
            try await audit.created("survey", id: survey.id, exercise: context.exerciseID, try SurveyDTO(survey))
            return survey
        }
    }

    /// Only a draft changes: once people answered, the questions they answered stay as they were.
    package static func update(_ survey: Survey, with input: SurveyInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        let definition = try SurveyDefinition.build(title: input.title, description: input.description, questions: input.questions ?? [])
        guard survey.surveyStatus == .draft else { throw CocreaError.surveyNotDraft }
        let before = try SurveyDTO(survey)
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            apply(definition, to: survey)
            survey.revision += 1
            try await survey.save(on: tx)
            try await audit.record(
                "update", entity: "survey", id: survey.id, exercise: context.exerciseID,
                before: before, after: try SurveyDTO(survey), at: ctx.now)
            return survey
        }
    }

    package static func publish(_ survey: Survey, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        guard survey.surveyStatus == .draft else { throw CocreaError.surveyNotDraft }
        return try await change(survey, to: .published, in: context, on: ctx)
    }

    package static func close(_ survey: Survey, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        guard survey.surveyStatus == .published else {
            throw CocreaError.surveyNotPublished
        }
        return try await change(survey, to: .closed, in: context, on: ctx)
    }

    private static func change(_ survey: Survey, to status: SurveyStatus, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        let now = ctx.now
        let changed = try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let before = try SurveyDTO(survey)
            survey.status = status.rawValue
            if status == .published { survey.publishedAt = now }
            if status == .closed { survey.closedAt = now }
            survey.revision += 1
            try await survey.save(on: tx)
            try await audit.record(
                status == .published ? "publish" : "close", entity: "survey", id: survey.id,
                exercise: context.exerciseID, before: before, after: try SurveyDTO(survey), at: now)
            return survey
        }
        ctx.surveyIntake.forget(try changed.requireID())
        return changed
    }

    private static func apply(_ definition: SurveyDefinition, to survey: Survey) {
        survey.title = definition.title
        survey.description = definition.description
        survey.questionsJSON = JSON.canonical(definition.questions)
    }

    /// The survey of this id, within the exercise the route policy checked.
    /// The exercise's surveys, newest first, drafts included.
    package static func list(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [Survey] {
        try await Survey.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).sort(\.$createdAt, .descending).all()
    }

    /// The exercise's surveys, newest first, each with how many responses it has.
    package static func listWithResponseCounts(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [(survey: Survey, responses: Int)] {
        var counted: [(survey: Survey, responses: Int)] = []
        for survey in try await list(of: exerciseID, on: ctx) {
            counted.append((survey, try await SurveyResponse.query(on: ctx.db).filter(\.$survey.$id == survey.requireID()).count()))
        }
        return counted
    }

    /// A published or closed survey, as anyone reads it; a draft is the institution's work in progress.
    package static func publicSurvey(_ id: UUID?, on ctx: UseCaseContext) async throws -> Survey {
        guard let id, let survey = try await Survey.find(id, on: ctx.db), survey.surveyStatus != .draft else {
            throw CocreaError.notFound(.survey)
        }
        return survey
    }

    package static func find(_ id: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Survey {
        guard let id, let survey = try await Survey.find(id, on: ctx.db),
            survey.$exercise.id == context.exerciseID
        else {
            throw CocreaError.notFound(.survey)
        }
        return survey
    }

    // MARK: Answering

    /// A published survey as the public sees it; drafts and closed ones are not answerable.
    package static func answerable(_ id: UUID?, on ctx: UseCaseContext) async throws -> SurveyIntake.OpenSurvey {
        guard let id, let survey = try await ctx.surveyIntake.survey(id, now: ctx.now), survey.status != .draft else {
            throw CocreaError.notFound(.survey)
        }
        guard survey.status == .published else {
            throw CocreaError.surveyClosed
        }
        return survey
    }

    package static func submit(
        _ raw: [String: [String]], honeypot: String?, kiosk: Bool, client address: String, to id: UUID?, on ctx: UseCaseContext
    ) async throws -> SurveyReceiptDTO {
        let survey = try await answerable(id, on: ctx)
        if let honeypot, !honeypot.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CocreaError.suspectedAutomation
        }
        let answers = try SurveyAnswers.check(raw, against: survey.definition)
        let now = ctx.now
        // Only what the client cannot rotate (see `clientKey`); never kept (SurveyIntake hashes it in memory).
        let client = SubmissionGuard.clientKey(address: address)
        switch ctx.surveyIntake.admit(client: client, survey: survey.id, answers: answers, kiosk: kiosk, at: now) {
        case .rateLimited(let seconds):
            throw CocreaError.rateLimited(retryAfter: seconds)
        case .duplicate:
            throw CocreaError.duplicateResponse
        case .accepted:
            break
        }
        let response = SurveyResponse(surveyID: survey.id, answersJSON: JSON.canonical(answers), channel: kiosk ? "kiosk" : "web", receivedAt: now)
        try await ctx.surveyIntake.store(response)
        return SurveyReceiptDTO(id: try response.requireID(), receivedAt: now)
    }

    // MARK: Results

    /// Responses are read this many at a time: results and downloads hold one page, whatever a survey received.
    package static let pageSize = 500

    /// Hands `body` the survey's responses a page at a time, newest first. Each page starts after the
    /// last row of the one before (by its stored time and id, read by the database itself, so no
    /// rounding of a time on its way through Swift skips or repeats a row); answers arriving meanwhile
    /// are newer and do not shift the pages.
    package static func forEachPage(
        of survey: Survey, size: Int = pageSize, on db: Database,
        _ body: ([SurveyExport.Row]) throws -> Void
    ) async throws {
        struct Stored: Decodable {
            var id: UUID
            var received_at: Date
            var channel: String
            var answers: String
        }
        let sql = db as! any SQLDatabase
        let surveyID = try survey.requireID()
        var last: UUID?
        repeat {
            let after: SQLQueryString =
                last.map { id -> SQLQueryString in "AND (received_at, id) < (SELECT received_at, id FROM survey_responses WHERE id = \(bind: id))" } ?? ""
            let page = try await sql.raw(
                """
                SELECT id, received_at, channel, answers FROM survey_responses WHERE survey_id = \(bind: surveyID) \(after)
                ORDER BY received_at DESC, id DESC LIMIT \(literal: size)
                """
            ).all(decoding: Stored.self)
            try body(
                try page.map { stored in
                    SurveyExport.Row(
                        id: stored.id, receivedAt: stored.received_at, channel: stored.channel,
                        answers: try JSONDecoder().decode([String: AnswerValue].self, from: Data(stored.answers.utf8)))
                })
            last = page.count == size ? page.last?.id : nil
        } while last != nil
    }

    package static func results(of survey: Survey, pageSize: Int = pageSize, on ctx: UseCaseContext) async throws -> SurveyResults {
        var tally = SurveyTally(definition: try survey.definition)
        try await forEachPage(of: survey, size: pageSize, on: ctx.db) { rows in
            for row in rows { tally.add(row.answers) }
        }
        return tally.results
    }

    /// One response as the API lists it.
    package struct ResponseDTO: Codable, Sendable {
        package var id: UUID
        package var receivedAt: Date
        package var channel: String
        package var answers: [String: AnswerValue]

        package init(id: UUID, receivedAt: Date, channel: String, answers: [String: AnswerValue]) {
            self.id = id
            self.receivedAt = receivedAt
            self.channel = channel
            self.answers = answers
        }
    }

    /// Every response as a CSV file, written a page at a time into the buffer that is sent.
    package static func csv(of survey: Survey, on ctx: UseCaseContext) async throws -> ByteBuffer {
        let definition = try survey.definition
        var buffer = ByteBuffer(string: SurveyExport.csv(definition, rows: []))
        try await forEachPage(of: survey, on: ctx.db) { rows in buffer.writeString(SurveyExport.csvLines(definition, rows: rows)) }
        return buffer
    }

    /// Every response as a JSON array, encoded a page at a time into the buffer that is sent.
    package static func json(of survey: Survey, with encoder: JSONEncoder, on ctx: UseCaseContext) async throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "[")
        try await forEachPage(of: survey, on: ctx.db) { rows in
            for row in rows {
                if buffer.readableBytes > 1 { buffer.writeString(",\n") }
                buffer.writeBytes(
                    try encoder.encode(ResponseDTO(id: row.id, receivedAt: row.receivedAt, channel: row.channel, answers: row.answers)))
            }
        }
        buffer.writeString("]")
        return buffer
    }

    /// One question's result becomes a consultation finding of the dossier, with its counts as evidence.
    package static func makeFinding(
        from survey: Survey, question questionID: String?, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> DossierItem {
        let results = try await results(of: survey, on: ctx)
        guard let result = results.questions.first(where: { $0.questionId == questionID }) else {
            throw CocreaError.validation([FieldError(field: "questionId", "problemQuestionChoose")])
        }
        guard result.answered > 0 else {
            throw CocreaError.noAnswers
        }
        let evidence = "\(ctx.baseURL)/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())/results#\(result.questionId)"
        let finding = SurveyFinding(
            survey: survey.title, result: result, responseCount: results.responseCount,
            closing: "Evidencia: \(evidence)")
        return try await ExerciseOperations.addDossierItem(
            .init(kind: .consultationFinding, title: String(finding.title.prefix(200)), body: finding.body, source: finding.source),
            upload: nil, to: context, on: ctx
        ).0
    }

    /// Published and open surveys of the whole instance, for the public pages and `GET /api/v1/public/surveys`.
    package static func published(on ctx: UseCaseContext) async throws -> [Survey] {
        try await Survey.query(on: ctx.db).filter(\.$status == SurveyStatus.published.rawValue).sort(\.$publishedAt, .descending).all()
    }
}
