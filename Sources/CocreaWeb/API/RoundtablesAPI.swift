import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// The dialogue tables: scheduling, stages, attendance and what was said at each.
struct RoundtablesAPI {
    func register(_ api: RoutesBuilder) {
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

    func roundtables(req: Request, authorized: Authorized) async throws -> [RoundtableDTO] {
        try await RoundtableOperations.list(in: authorized.requireExercise(), on: req.useCases).map(RoundtableDTO.init)
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
        return try await TableRecordOperations.attendance(at: table, on: req.useCases).map(AttendanceDTO.init)
    }

    func recordAttendance(req: Request, authorized: Authorized) async throws -> AttendanceDTO {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        return AttendanceDTO(
            try await TableRecordOperations.recordAttendance(try req.content.decode(AttendanceInput.self), at: table, in: context, on: req.useCases))
    }

    func interventions(req: Request, authorized: Authorized) async throws -> [InterventionDTO] {
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return try await TableRecordOperations.interventions(at: table, on: req.useCases).map(InterventionDTO.init)
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
