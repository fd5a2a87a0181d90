import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Open contracting through the API: OCDS packages of the procurement commitment, and the public
/// list of its contracting processes.
struct ProcurementAPI {
    struct UploadForm: Content {
        var file: File?
    }

    func register(_ api: RoutesBuilder) {
        api.secured(
            .POST, "commitments", ":commitmentID", "procurement-packages", policy: .exercise(.facilitate),
            body: .collect(maxSize: "21mb"), use: attach)
        api.secured(.GET, "commitments", ":commitmentID", "procurement-packages", policy: .exercise(.viewWorkspace), use: list)
        api.secured(.DELETE, "procurement-packages", ":packageID", policy: .exercise(.facilitate), use: delete)
        api.secured(.GET, "public", "exercises", ":exerciseID", "procurement", policy: .open, use: publicProcurement)
    }

    /// Multipart with the package in `file`, or JSON `{"url": "https://…"}` for Cocrea to fetch it.
    func attach(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let commitmentID = req.parameters.get("commitmentID", as: UUID.self)
        let package: ProcurementPackage
        switch req.headers.contentType {
        case let type? where type.type == "multipart":
            guard let file = try req.content.decode(UploadForm.self).file else {
                throw CocreaError.validation([FieldError(field: "file", "problemOCDSFileMissing")])
            }
            package = try await ProcurementOperations.attach(
                Data(file.data.readableBytesView), name: file.filename, sourceURL: nil,
                to: commitmentID, in: context, on: req.useCases)
        case let type? where type.subType == "json":
            package = try await ProcurementOperations.fetch(try req.content.decode(PackageURLInput.self), to: commitmentID, in: context, on: req.useCases)
        default:
            throw CocreaError.procurementPackageMediaType
        }
        return try req.answer(ProcurementPackageDTO(package), status: .created)
    }

    /// The processes' flags are written in the request's language.
    func list(req: Request, authorized: Authorized) async throws -> Response {
        try req.answer(
            try await ProcurementOperations.list(req.parameters.get("commitmentID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases))
    }

    func delete(req: Request, authorized: Authorized) async throws -> HTTPStatus {
        try await ProcurementOperations.delete(req.parameters.get("packageID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return .noContent
    }

    func publicProcurement(req: Request, _: Authorized) async throws -> Response {
        guard let id = req.parameters.get("exerciseID", as: UUID.self) else { throw CocreaError.notFound(.exercise) }
        return try await req.application.publicCache.respond(to: req) {
            try await ProcurementOperations.publicProcurement(of: id, on: req.useCases).encodeResponse(for: req)
        }
    }
}
