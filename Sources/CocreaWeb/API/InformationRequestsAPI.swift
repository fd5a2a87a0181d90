import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Access-to-information requests through the API: import a file, read and re-detect the recurring
/// topics, turn a topic into dossier material.
struct InformationRequestsAPI {
    struct ImportForm: Content {
        var file: File?
        var skipInvalid: Bool?
    }

    func register(_ api: RoutesBuilder) {
        api.secured(
            .POST, "exercises", ":exerciseID", "information-requests", "imports", policy: .exercise(.consult),
            body: .collect(maxSize: "21mb"), use: importFile)
        api.secured(.POST, "request-imports", ":importID", "apply", policy: .exercise(.consult), use: apply)
        api.secured(.GET, "exercises", ":exerciseID", "information-requests", "topics", policy: .exercise(.viewWorkspace), use: topics)
        api.secured(.POST, "exercises", ":exerciseID", "information-requests", "topics", policy: .exercise(.consult), use: redetect)
        api.secured(.POST, "request-topics", ":topicID", "problem", policy: .exercise(.consult), use: problem)
    }

    func importFile(req: Request, authorized: Authorized) async throws -> Response {
        // An empty file is a file: RequestFile refuses it as such (`request_file_invalid`, "no tiene solicitudes").
        guard let form = try? req.content.decode(ImportForm.self), let file = form.file else {
            throw CocreaError.validation([FieldError(field: "file", "problemRequestFileMissing")])
        }
        let record = try await RequestOperations.importFile(
            named: file.filename, bytes: Data(file.data.readableBytesView),
            skipInvalid: form.skipInvalid ?? false, in: authorized.requireExercise(), on: req.useCases)
        return try await RequestImportDTO(record).encodeResponse(status: .created, for: req)
    }

    func apply(req: Request, authorized: Authorized) async throws -> RequestImportDTO {
        try RequestImportDTO(
            try await RequestOperations.applyPending(
                req.parameters.get("importID", as: UUID.self),
                in: authorized.requireExercise(), on: req.useCases))
    }

    func topics(req: Request, authorized: Authorized) async throws -> RequestTopicsDTO {
        try await RequestOperations.topics(of: authorized.requireExercise().exerciseID, on: req.useCases)
    }

    func redetect(req: Request, authorized: Authorized) async throws -> RequestTopicsDTO {
        let context = authorized.requireExercise()
        let input = req.body.data == nil ? TopicDetectionInput() : try req.content.decode(TopicDetectionInput.self)
        try await RequestOperations.redetect(topicCount: input.topicCount, in: context, on: req.useCases)
        return try await RequestOperations.topics(of: context.exerciseID, on: req.useCases)
    }

    func problem(req: Request, authorized: Authorized) async throws -> Response {
        let item = try await RequestOperations.makeProblem(
            fromTopic: req.parameters.get("topicID", as: UUID.self),
            in: authorized.requireExercise(), on: req.useCases)
        return try await DossierItemDTO(item, file: nil, late: false).encodeResponse(status: .created, for: req)
    }
}
