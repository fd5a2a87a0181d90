import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Consultation surveys as pages: the institution's builder and results, and the public answer form
/// (on a phone, or in kiosk mode on a tablet at a service window).
struct SurveyPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", policy: .exercise(.viewWorkspace), use: list)
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", "new", policy: .exercise(.consult), use: new)
        pages.secured(.POST, "exercises", ":exerciseID", "surveys", policy: .exercise(.consult), use: create)
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", ":surveyID", policy: .exercise(.viewWorkspace), use: show)
        pages.secured(.POST, "exercises", ":exerciseID", "surveys", ":surveyID", policy: .exercise(.consult), use: update)
        pages.secured(.POST, "exercises", ":exerciseID", "surveys", ":surveyID", "publish", policy: .exercise(.consult), use: publish)
        pages.secured(.POST, "exercises", ":exerciseID", "surveys", ":surveyID", "close", policy: .exercise(.consult), use: close)
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", ":surveyID", "results", policy: .exercise(.viewWorkspace), use: results)
        pages.secured(.POST, "exercises", ":exerciseID", "surveys", ":surveyID", "findings", policy: .exercise(.consult), use: finding)
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", ":surveyID", "responses.csv", policy: .exercise(.viewWorkspace), use: csv)
        pages.secured(.GET, "exercises", ":exerciseID", "surveys", ":surveyID", "responses.json", policy: .exercise(.viewWorkspace), use: json)
        pages.secured(.GET, "surveys", ":surveyID", policy: .open) { req, _ in try await Self.answerForm(req, kiosk: false) }
        pages.secured(.GET, "surveys", ":surveyID", "kiosk", policy: .open) { req, _ in try await Self.answerForm(req, kiosk: true) }
        pages.secured(.POST, "surveys", ":surveyID", policy: .open, csrf: .sameOrigin) { req, _ in try await Self.answer(req, kiosk: false) }
        pages.secured(.POST, "surveys", ":surveyID", "kiosk", policy: .open, csrf: .sameOrigin) { req, _ in try await Self.answer(req, kiosk: true) }
    }

    // MARK: The institution's list and builder

    struct SurveyRow: Encodable, Sendable {
        var id: UUID
        var title: String
        var status: String
        var responses: Int
        var publishedAt: String?
    }

    struct ListBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var surveys: [SurveyRow]
        var canConsult: Bool
    }

    func list(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let rows = try await SurveyOperations.listWithResponseCounts(of: context.exerciseID, on: req.useCases).map { survey, count in
            SurveyRow(
                id: try survey.requireID(), title: survey.title, status: survey.surveyStatus.label(req.language),
                responses: count, publishedAt: survey.publishedAt.map { req.words.dateTime($0, in: context.exercise.zone) })
        }
        return try await Page.render(
            Templates.surveys, title: context.exercise.name,
            ListBody(exercise: .init(context), surveys: rows, canConsult: context.access.allows(.consult)), on: req)
    }

    struct QuestionSlot: Encodable, Sendable {
        var number: Int
        var prompt: String
        var kind: String
        var required: Bool
        var options: String
    }

    struct KindOption: Encodable, Sendable {
        var value: String
        var label: String
    }

    struct BuilderBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var surveyID: UUID?
        var title: String
        var description: String
        var slots: [QuestionSlot]
        var kinds: [KindOption]
    }

    /// Blank question slots offered under the filled ones: more appear each time the draft is saved.
    static let blankSlots = 3

    func new(req: Request, authorized: Authorized) async throws -> Response {
        try await renderBuilder(authorized.requireExercise(), surveyID: nil, title: "", description: "", questions: [], on: req)
    }

    func create(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try FormFields.parse(req)
        let input = Self.surveyInput(form)
        do {
            let survey = try await SurveyOperations.create(input, in: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())")
        } catch let error as CocreaError where error.status == 422 {
            return try await renderBuilder(context, surveyID: nil, input: input, errors: Self.slotErrors(error), on: req)
        }
    }

    func show(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        guard survey.surveyStatus == .draft, context.access.allows(.consult) else {
            return Page.redirect("/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())/results")
        }
        let definition = try survey.definition
        return try await renderBuilder(
            context, surveyID: survey.id, title: definition.title, description: definition.description,
            questions: definition.questions, on: req)
    }

    func update(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        let input = Self.surveyInput(try FormFields.parse(req))
        do {
            _ = try await SurveyOperations.update(survey, with: input, in: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())")
        } catch let error as CocreaError where error.status == 422 {
            return try await renderBuilder(context, surveyID: survey.id, input: input, errors: Self.slotErrors(error), on: req)
        }
    }

    func publish(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.publish(
            try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases), in: context, on: req.useCases)
        return Page.redirect("/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())/results")
    }

    func close(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.close(
            try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases), in: context, on: req.useCases)
        return Page.redirect("/exercises/\(context.exerciseID)/surveys/\(try survey.requireID())/results")
    }

    /// The builder's flat fields (`prompt_3`, `kind_3`, `required_3`, `options_3` with one option per line)
    /// as the API's input; blank slots are left out.
    static func surveyInput(_ form: [String: [String]]) -> SurveyInput {
        let numbers = form.keys.compactMap { $0.hasPrefix("prompt_") ? Int($0.dropFirst(7)) : nil }.sorted()
        let drafts = numbers.compactMap { number -> QuestionDraft? in
            let prompt = form["prompt_\(number)"]?.first ?? ""
            guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            let options = (form["options_\(number)"]?.first ?? "").split(whereSeparator: \.isNewline).map(String.init)
            return QuestionDraft(
                prompt: prompt, kind: form["kind_\(number)"]?.first, required: form["required_\(number)"] != nil,
                options: options)
        }
        return SurveyInput(title: form["title"]?.first, description: form["description"]?.first, questions: drafts)
    }

    /// Field names of the API (`questions[2].prompt`) mapped to the builder's (`prompt_3`) so each error links to its field.
    static func slotErrors(_ error: CocreaError) -> [FieldError] {
        error.fieldErrors.map { field in
            guard field.field.hasPrefix("questions["), let close = field.field.firstIndex(of: "]"),
                let index = Int(field.field[field.field.index(field.field.startIndex, offsetBy: 10)..<close])
            else {
                return field
            }
            let part = field.field[field.field.index(after: close)...].dropFirst()
            return FieldError(field: "\(part.isEmpty ? "prompt" : part)_\(index + 1)", text: field.text)
        }
    }

    private func renderBuilder(_ context: ExerciseContext, surveyID: UUID?, input: SurveyInput, errors: [FieldError], on req: Request) async throws -> Response
    {
        let questions = (input.questions ?? []).enumerated().map { index, draft in
            SurveyQuestion(
                id: "p\(index + 1)", prompt: draft.prompt ?? "", kind: QuestionKind(rawValue: draft.kind ?? "") ?? .singleChoice,
                required: draft.required ?? false, options: draft.options ?? [])
        }
        return try await renderBuilder(
            context, surveyID: surveyID, title: input.title ?? "", description: input.description ?? "",
            questions: questions, errors: errors, status: .unprocessableEntity, on: req)
    }

    private func renderBuilder(
        _ context: ExerciseContext, surveyID: UUID?, title: String, description: String, questions: [SurveyQuestion],
        errors: [FieldError] = [], status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        var slots = questions.enumerated().map { index, question in
            QuestionSlot(
                number: index + 1, prompt: question.prompt, kind: question.kind.rawValue, required: question.required,
                options: question.options.joined(separator: "\n"))
        }
        let blanks = questions.isEmpty ? 5 : Self.blankSlots
        for number in (slots.count + 1)...(slots.count + blanks) where number <= SurveyDefinition.maximumQuestions {
            slots.append(QuestionSlot(number: number, prompt: "", kind: QuestionKind.singleChoice.rawValue, required: false, options: ""))
        }
        let body = BuilderBody(
            exercise: .init(context), surveyID: surveyID, title: title, description: description, slots: slots,
            kinds: QuestionKind.allCases.map { KindOption(value: $0.rawValue, label: $0.label(req.language)) })
        return try await Page.render(Templates.surveyBuilder, title: context.exercise.name, body, errors: errors, status: status, on: req)
    }

    // MARK: Results

    struct Bar: Encodable, Sendable {
        var label: String
        var count: Int
        var percent: String
        var y: Int
        var width: Int
    }

    struct QuestionView: Encodable, Sendable {
        var id: String
        var number: Int
        var prompt: String
        var kind: String
        var answered: Int
        var mean: String?
        var bars: [Bar]
        var chartHeight: Int
        var texts: [String]
        var hasChart: Bool
    }

    struct ResultsBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var surveyID: UUID
        var title: String
        var status: String
        var isDraft: Bool
        var isPublished: Bool
        var responseCount: Int
        var publicURL: String
        var kioskURL: String
        var questions: [QuestionView]
        var canConsult: Bool
        var notice: String?
    }

    func results(req: Request, authorized: Authorized) async throws -> Response {
        try await renderResults(authorized.requireExercise(), notice: nil, on: req)
    }

    func finding(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        let questionID = try? req.content.get(String.self, at: "questionId")
        do {
            let item = try await SurveyOperations.makeFinding(from: survey, question: questionID, in: context, on: req.useCases)
            return try await renderResults(context, notice: req.words["surveyFindingAdded", ["title": item.title]], on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await renderResults(
                context, notice: nil, errors: [FieldError(field: questionID ?? "questionId", message: error.message(req.words))],
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    private func renderResults(
        _ context: ExerciseContext, notice: String?, errors: [FieldError] = [], status: HTTPStatus = .ok,
        on req: Request
    ) async throws -> Response {
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        let results = try await SurveyOperations.results(of: survey, on: req.useCases)
        let id = try survey.requireID()
        let base = req.application.options.baseURL
        let body = ResultsBody(
            exercise: .init(context), surveyID: id, title: survey.title, status: survey.surveyStatus.label(req.language),
            isDraft: survey.surveyStatus == .draft, isPublished: survey.surveyStatus == .published,
            responseCount: results.responseCount, publicURL: "\(base)/surveys/\(id)", kioskURL: "\(base)/surveys/\(id)/kiosk",
            questions: results.questions.enumerated().map { index, result in
                let bars = result.options.enumerated().map { row, option in
                    Bar(
                        label: option.label, count: option.count, percent: SurveyFinding.decimal(option.percent), y: row * 34,
                        width: result.answered == 0 ? 0 : Int((Double(option.count) / Double(result.answered) * 400).rounded()))
                }
                return QuestionView(
                    id: result.questionId, number: index + 1, prompt: result.prompt, kind: result.kind.label(req.language),
                    answered: result.answered, mean: result.mean.map(SurveyFinding.decimal), bars: bars,
                    chartHeight: max(34, bars.count * 34), texts: result.texts, hasChart: !bars.isEmpty)
            },
            canConsult: context.access.allows(.consult), notice: notice)
        return try await Page.render(Templates.surveyResults, title: survey.title, body, errors: errors, status: status, on: req)
    }

    func csv(req: Request, authorized: Authorized) async throws -> Response {
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return FileDownload.response(
            try await SurveyOperations.csv(of: survey, on: req.useCases), mediaType: "text/csv; charset=utf-8",
            name: "encuesta-respuestas.csv")
    }

    func json(req: Request, authorized: Authorized) async throws -> Response {
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return FileDownload.response(
            try await SurveyOperations.json(of: survey, with: encoder, on: req.useCases), mediaType: "application/json",
            name: "encuesta-respuestas.json")
    }

    // MARK: Answering (public, no account)

    struct ChoiceView: Encodable, Sendable {
        var value: String
        var index: Int
        var checked: Bool
    }

    struct AnswerQuestionView: Encodable, Sendable {
        var id: String
        var number: Int
        var prompt: String
        var kind: String
        var required: Bool
        var choices: [ChoiceView]
        var text: String
        var limit: Int
    }

    struct AnswerBody: Encodable, Sendable {
        var surveyID: UUID
        var title: String
        var description: String
        var kiosk: Bool
        var action: String
        var questions: [AnswerQuestionView]
        var honeypot: String
    }

    static func answerForm(
        _ req: Request, kiosk: Bool, values: [String: [String]] = [:], errors: [FieldError] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let survey = try await SurveyOperations.answerable(req.parameters.get("surveyID", as: UUID.self), on: req.useCases)
        let questions = survey.definition.questions.enumerated().map { index, question in
            let given = values[question.id] ?? []
            let choices = question.kind == .scale ? (1...5).map(String.init) : question.options
            return AnswerQuestionView(
                id: question.id, number: index + 1, prompt: question.prompt, kind: question.kind.rawValue, required: question.required,
                choices: choices.enumerated().map { ChoiceView(value: $1, index: $0 + 1, checked: given.contains($1)) },
                text: question.kind.hasOptions || question.kind == .scale ? "" : given.first ?? "",
                limit: question.kind == .shortText ? SurveyAnswers.shortTextLimit : SurveyAnswers.longTextLimit)
        }
        let body = AnswerBody(
            surveyID: survey.id, title: survey.definition.title, description: survey.definition.description, kiosk: kiosk,
            action: "/surveys/\(survey.id)\(kiosk ? "/kiosk" : "")", questions: questions,
            honeypot: SurveyOperations.honeypotField)
        // No session and no CSRF token: an anonymous answer leaves nothing behind in the browser.
        return try await Page.render(Templates.surveyAnswer, title: survey.definition.title, body, errors: errors, status: status, forms: false, on: req)
    }

    struct ThanksBody: Encodable, Sendable {
        var title: String
        var kiosk: Bool
        /// An empty form again; the kiosk goes there by itself after a countdown (`Public/kiosk.js`).
        var again: String
    }

    static func answer(_ req: Request, kiosk: Bool) async throws -> Response {
        var form = try FormFields.parse(req)
        let honeypot = form.removeValue(forKey: SurveyOperations.honeypotField)?.first
        let id = req.parameters.get("surveyID", as: UUID.self)
        // Read before storing: a survey closed a moment later must not turn an answer it took into an error page.
        let survey = try await SurveyOperations.answerable(id, on: req.useCases)
        do {
            _ = try await SurveyOperations.submit(form, honeypot: honeypot, kiosk: kiosk, client: req.clientAddress, to: id, on: req.useCases)
        } catch let error as CocreaError
            where error.status == 422 || error.status == 429 || error.status == 409 && error.code == ErrorCode.duplicateResponse.rawValue
        {
            // Each error links to its question; the others (repeated, honeypot, rate limit) to the form.
            let questions = Set(survey.definition.questions.map(\.id))
            let errors =
                error.fieldErrors.isEmpty
                ? [FieldError(field: "encuesta", message: error.message(req.words))]
                : error.fieldErrors.map { questions.contains($0.field) ? $0 : FieldError(field: "encuesta", text: $0.text) }
            return try await answerForm(req, kiosk: kiosk, values: form, errors: errors, status: HTTPStatus(statusCode: error.status))
        }
        return try await Page.render(
            Templates.surveyThanks, title: survey.definition.title,
            ThanksBody(title: survey.definition.title, kiosk: kiosk, again: "/surveys/\(survey.id)\(kiosk ? "/kiosk" : "")"),
            forms: false, on: req)
    }
}
