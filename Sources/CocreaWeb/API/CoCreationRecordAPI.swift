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
        let (record, language) = try await Self.record(req)
        let data = try await req.application.threadPool.runIfActive { CoCreationRecordPDF.render(record, language: language) }
        return Download(data, name: "memoria-de-cocreacion.pdf", type: "application/pdf").response
    }

    func docx(req: Request, _: Authorized) async throws -> Response {
        let (record, language) = try await Self.record(req)
        let data = try await req.application.threadPool.runIfActive { try CoCreationRecordDOCX.render(record, language: language) }
        return Download(data, name: "memoria-de-cocreacion.docx", type: CoCreationRecordDOCX.mediaType).response
    }

    private static func record(_ req: Request) async throws -> (CoCreationRecord, Language) {
        let language = req.language
        let record = try await CoCreationRecordOperations.document(
            of: req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), language: language, on: req.useCases)
        return (record, language)
    }
}
