import CocreaCore
import CocreaDocuments
import CocreaUseCases
import Vapor

/// The co-creation record as PDF and Word document (issue 20, point 5), in the request's language
/// (`?lang=en`). As public as the exercise's public page: anyone once it is published, only its members
/// and administrators while a draft; anyone else gets 404 and learns nothing.
struct CoCreationRecordAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "exercises", ":exerciseID", "cocreation-record.pdf", policy: .open, use: pdf)
        api.secured(.GET, "exercises", ":exerciseID", "cocreation-record.docx", policy: .open, use: docx)
    }

    func pdf(req: Request, _: Authorized) async throws -> Response {
        try await Self.respond(req) { record, language in
            let data = try await req.application.threadPool.runIfActive { try CoCreationRecordPDF.render(record, language: language) }
            return Download(data, name: "memoria-de-cocreacion.pdf", type: "application/pdf").response
        }
    }

    func docx(req: Request, _: Authorized) async throws -> Response {
        try await Self.respond(req) { record, language in
            let data = try await req.application.threadPool.runIfActive { try CoCreationRecordDOCX.render(record, language: language) }
            return Download(data, name: "memoria-de-cocreacion.docx", type: CoCreationRecordDOCX.mediaType).response
        }
    }

    /// A published exercise's record is the same for every anonymous reader, so it is kept in the public
    /// cache as its page is; a draft's is built for each member who asks.
    private static func respond(
        _ req: Request, render: @escaping (CoCreationRecord, Language) async throws -> Response
    ) async throws -> Response {
        let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        let language = req.language
        let build = { try await render(try await CoCreationRecordOperations.document(of: exercise, language: language, on: req.useCases), language) }
        return isPublic ? try await req.application.publicCache.respond(to: req, build: build) : try await build()
    }
}
