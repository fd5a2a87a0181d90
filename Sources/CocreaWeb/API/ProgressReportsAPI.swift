import CocreaCore
import CocreaUseCases
import Vapor

/// Progress reports at the cuts of the roadmap: the facilitation issues one (frozen, sealed, published,
/// mailed to every member); anyone lists an exercise's reports once its plan is sealed and downloads
/// each sealed PDF (`{id}.pdf`).
struct ProgressReportsAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "exercises", ":exerciseID", "progress-reports", policy: .exercise(.facilitate), use: issue)
        api.secured(.GET, "public", "exercises", ":exerciseID", "progress-reports", policy: .open, use: list)
        api.secured(.GET, "progress-reports", ":file", policy: .open, use: pdf)
    }

    func issue(req: Request, authorized: Authorized) async throws -> Response {
        let issued = try await ProgressReportOperations.issue(
            try req.content.decode(ProgressReportInput.self), in: authorized.requireExercise(), on: req.useCases)
        return try await issued.report.encodeResponse(status: .created, for: req)
    }

    func list(req: Request, _: Authorized) async throws -> [ProgressReportDTO] {
        guard let id = req.parameters.get("exerciseID", as: UUID.self) else { throw CocreaError.notFound(.exercise) }
        return try await ProgressReportOperations.list(of: id, on: req.useCases)
    }

    /// `{id}.pdf`: the sealed file as it was issued and mailed, byte for byte.
    func pdf(req: Request, _: Authorized) async throws -> Response {
        let name = req.parameters.get("file") ?? ""
        let id = name.hasSuffix(".pdf") ? UUID(uuidString: String(name.dropLast(4))) : nil
        return try await ProgressReportOperations.pdf(id, on: req.useCases).response
    }
}
