import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Distribution of the dossier, receipts, rule D10's status, and scheduling tables.
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
        api.secured(.GET, "exercises", ":exerciseID", "roundtables", policy: .exercise(.viewWorkspace), use: roundtables)
        api.secured(.POST, "exercises", ":exerciseID", "roundtables", policy: .exercise(.facilitate), use: schedule)
        api.secured(.PUT, "roundtables", ":roundtableID", policy: .exercise(.facilitate), use: reschedule)
        api.secured(.DELETE, "roundtables", ":roundtableID", policy: .exercise(.facilitate), use: cancel)
        api.secured(.POST, "roundtables", ":roundtableID", "stage", policy: .exercise(.facilitate), use: stage)
        api.secured(.GET, "roundtables", ":roundtableID", "attendance", policy: .exercise(.viewWorkspace), use: attendance)
        api.secured(.POST, "roundtables", ":roundtableID", "attendance", policy: .exercise(.facilitate), use: recordAttendance)
        api.secured(.GET, "roundtables", ":roundtableID", "interventions", policy: .exercise(.viewWorkspace), use: interventions)
        api.secured(.POST, "roundtables", ":roundtableID", "interventions", policy: .exercise(.viewWorkspace), use: recordIntervention)
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
        DossierStatusDTO(try await DossierOperations.readiness(of: authorized.requireExercise().exercise, on: req.db).0)
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

    func roundtables(req: Request, authorized: Authorized) async throws -> [RoundtableDTO] {
        try await Roundtable.query(on: req.db).filter(\.$exercise.$id == authorized.requireExercise().exerciseID)
            .sort(\.$startsAt).all().map(RoundtableDTO.init)
    }

    func schedule(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.schedule(try req.content.decode(RoundtableInput.self), in: context, on: req.useCases)
        let response = try await RoundtableDTO(table).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/roundtables/\(table.id!)")
        return response
    }

    func reschedule(req: Request, authorized: Authorized) async throws -> RoundtableDTO {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        return RoundtableDTO(
            try await RoundtableOperations.reschedule(try req.content.decode(RoundtableInput.self), table: table, in: context, on: req.useCases))
    }

    struct StageInput: Content {
        var stage: String?
    }

    func stage(req: Request, authorized: Authorized) async throws -> RoundtableDTO {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        return RoundtableDTO(try await RoundtableOperations.advance(table, to: try req.content.decode(StageInput.self).stage, in: context, on: req.useCases))
    }

    func attendance(req: Request, authorized: Authorized) async throws -> [AttendanceDTO] {
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return try await Attendance.query(on: req.db).filter(\.$roundtable.$id == table.id!).all().map(AttendanceDTO.init)
    }

    func recordAttendance(req: Request, authorized: Authorized) async throws -> AttendanceDTO {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        return AttendanceDTO(
            try await TableRecordOperations.recordAttendance(try req.content.decode(AttendanceInput.self), at: table, in: context, on: req.useCases))
    }

    func interventions(req: Request, authorized: Authorized) async throws -> [InterventionDTO] {
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return try await Intervention.query(on: req.db).filter(\.$roundtable.$id == table.id!).sort(\.$createdAt).all().map(InterventionDTO.init)
    }

    /// A member records their own doubt, contribution or feedback; the facilitator may type it for anyone.
    func recordIntervention(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        let intervention = try await TableRecordOperations.recordIntervention(
            try req.content.decode(InterventionInput.self), at: table, in: context, on: req.useCases)
        return try await InterventionDTO(intervention).encodeResponse(status: .created, for: req)
    }

    func cancel(req: Request, authorized: Authorized) async throws -> RoundtableDTO {
        let context = authorized.requireExercise()
        return RoundtableDTO(
            try await RoundtableOperations.cancel(
                try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases), in: context,
                on: req.useCases))
    }
}
