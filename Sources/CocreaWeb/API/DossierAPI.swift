import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Distribution of the dossier, receipts and rule D10's status.
struct DossierAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "exercises", ":exerciseID", "dossier", "distributions", policy: .exercise(.distributeDossier), use: distribute)
        api.secured(.POST, "exercises", ":exerciseID", "dossier", "reminders", policy: .exercise(.distributeDossier), use: remind)
        api.secured(.GET, "exercises", ":exerciseID", "dossier", "status", policy: .exercise(.viewWorkspace), use: status)
        api.secured(.POST, "receipts", ":token", policy: .open, use: receive)
        api.secured(.GET, "exercises", ":exerciseID", "dossier", "document.pdf", policy: .exercise(.viewWorkspace)) { req, authorized in
            try await DossierDownloads.pdf(of: authorized.requireExercise().exercise, on: req.useCases)
        }
        api.secured(.GET, "exercises", ":exerciseID", "dossier", "files.zip", policy: .exercise(.viewWorkspace)) { req, authorized in
            try await DossierDownloads.zip(of: authorized.requireExercise().exercise, on: req.useCases)
        }
    }

    func distribute(req: Request, authorized: Authorized) async throws -> Response {
        let distribution = try await DossierOperations.distribute(authorized.requireExercise(), on: req.useCases)
        return try await distribution.encodeResponse(status: .created, for: req)
    }

    struct Reminded: Content {
        var recipients: [UUID]
    }

    func remind(req: Request, authorized: Authorized) async throws -> Reminded {
        Reminded(recipients: try await DossierOperations.remind(authorized.requireExercise(), on: req.useCases))
    }

    func status(req: Request, authorized: Authorized) async throws -> DossierStatusDTO {
        DossierStatusDTO(try await DossierOperations.readiness(of: authorized.requireExercise().exercise, on: req.useCases).0)
    }

    struct ReceiptDTO: Content {
        var memberId: UUID
        var version: Int
        var receivedAt: Date?
    }

    func receive(req: Request, _: Authorized) async throws -> ReceiptDTO {
        let (receipt, distribution, member) = try await DossierOperations.receive(token: req.parameters.get("token") ?? "", on: req.useCases)
        return ReceiptDTO(memberId: member.id!, version: distribution.version, receivedAt: receipt.receivedAt)
    }
}
