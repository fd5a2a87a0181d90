import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The institution's access-to-information requests: import, the recurring topics, and a topic taken
/// to the dossier.
struct RequestPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "requests", policy: .exercise(.viewWorkspace), use: show)
        pages.secured(
            .POST, "exercises", ":exerciseID", "requests", "imports", policy: .exercise(.consult),
            body: .collect(maxSize: "21mb"), use: importFile)
        pages.secured(.POST, "exercises", ":exerciseID", "requests", "imports", ":importID", "apply", policy: .exercise(.consult), use: apply)
        pages.secured(.POST, "exercises", ":exerciseID", "requests", "topics", policy: .exercise(.consult), use: redetect)
        pages.secured(.POST, "exercises", ":exerciseID", "requests", "topics", ":topicID", "problem", policy: .exercise(.consult), use: problem)
    }

    struct MonthBar: Encodable, Sendable {
        var month: String
        var count: Int
        var x: Int
        var height: Int
        var y: Int
    }

    struct TopicView: Encodable, Sendable {
        var id: UUID
        var label: String
        var terms: String
        var count: Int
        var months: [MonthBar]
        var chartWidth: Int
        var examples: [RequestExampleDTO]
        var inDossier: Bool
    }

    struct Pending: Encodable, Sendable {
        var id: UUID
        var validRows: Int
        var invalidRows: Int
    }

    struct Body: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var requestCount: Int
        var topics: [TopicView]
        var canConsult: Bool
        var notice: String?
        var pending: Pending?
    }

    func show(req: Request, authorized: Authorized) async throws -> Response {
        try await render(authorized.requireExercise(), on: req)
    }

    func importFile(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        guard let form = try? req.content.decode(InformationRequestsAPI.ImportForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return try await render(
                context, errors: [FieldError(field: "file", message: req.words["requestsChooseFile"])],
                status: .unprocessableEntity, on: req)
        }
        do {
            let record = try await RequestOperations.importFile(
                named: file.filename, bytes: Data(file.data.readableBytesView),
                skipInvalid: form.skipInvalid ?? false, in: context, on: req.useCases)
            return try await render(context, notice: req.words.count("requestsImported", record.importedRows), on: req)
        } catch let error as CocreaError where error.status == 422 || error.status == 413 {
            var pending: Pending?
            if case .string(let id)? = error.facts["importId"], let importID = UUID(uuidString: id),
                case .int(let valid)? = error.facts["validRows"], case .int(let invalid)? = error.facts["invalidRows"]
            {
                pending = Pending(id: importID, validRows: valid, invalidRows: invalid)
            }
            return try await render(
                context,
                errors: [FieldError(field: "file", message: error.message(req.words))]
                    + error.fieldErrors.prefix(200).map { FieldError(field: "file", text: $0.text) },
                status: HTTPStatus(statusCode: error.status), pending: pending, on: req)
        }
    }

    func apply(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let record = try await RequestOperations.applyPending(req.parameters.get("importID", as: UUID.self), in: context, on: req.useCases)
        return try await render(context, notice: req.words.count("requestsImportedSkipping", record.importedRows), on: req)
    }

    func redetect(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let raw = (try? req.content.get(String.self, at: "topicCount"))?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            guard raw.isEmpty || Int(raw) != nil else {
                throw CocreaError.validation([FieldError(field: "topicCount", message: req.words["requestsTopicCountInvalid"])])
            }
            try await RequestOperations.redetect(topicCount: Int(raw), in: context, on: req.useCases)
            return try await render(context, notice: req.words["requestsRedetected"], on: req)
        } catch let error as CocreaError where error.status == 422 {
            return try await render(context, errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
    }

    func problem(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let item = try await RequestOperations.makeProblem(fromTopic: req.parameters.get("topicID", as: UUID.self), in: context, on: req.useCases)
            return try await render(context, notice: req.words["addedToDossier", ["title": item.title]], on: req)
        } catch let error as CocreaError where error.status == 409 {
            return try await render(context, errors: [FieldError(field: "temas", message: error.message(req.words))], status: .conflict, on: req)
        }
    }

    private func render(
        _ context: ExerciseContext, notice: String? = nil, errors: [FieldError] = [], status: HTTPStatus = .ok,
        pending: Pending? = nil, on req: Request
    ) async throws -> Response {
        let overview = try await RequestOperations.topics(of: context.exerciseID, on: req.useCases)
        let topics = overview.topics.map { topic in
            let peak = max(1, topic.months.map(\.count).max() ?? 1)
            return TopicView(
                id: topic.id, label: topic.label, terms: topic.terms.joined(separator: ", "), count: topic.count,
                months: topic.months.enumerated().map { index, month in
                    let height = Int((Double(month.count) / Double(peak) * 100).rounded())
                    return MonthBar(month: month.month, count: month.count, x: index * 28, height: height, y: 110 - height)
                },
                chartWidth: max(28, topic.months.count * 28), examples: topic.examples, inDossier: topic.dossierItemId != nil)
        }
        let body = Body(
            exercise: .init(context), requestCount: overview.requestCount, topics: topics,
            canConsult: context.access.allows(.consult), notice: notice, pending: pending)
        return try await Page.render(Templates.requests, title: context.exercise.name, body, errors: errors, status: status, on: req)
    }
}
