import CocreaCore
import CocreaStore
import Fluent
import Vapor

struct PlanVersionDTO: Content {
    var id: UUID?
    var number: Int
    var sha256: String
    var frozenAt: Date

    init(_ version: PlanVersion) {
        id = version.id
        number = version.number
        sha256 = version.sha256
        frozenAt = version.frozenAt
    }
}

/// Freezing the agreements into a PlanVersion: its canonical content and that content's SHA-256.
enum PlanVersionOperations {
    /// What a version holds: the exercise and its commitments with their activities, in a fixed order.
    struct Content: Codable {
        var exercise: ExerciseDTO
        var commitments: [CommitmentDTO]
    }

    static func freeze(_ context: ExerciseContext, on req: Request) async throws -> (PlanVersion, created: Bool) {
        let now = req.now
        return try await req.application.writer.write(on: req.db, actor: context.actor) { tx, audit in
            let check = try await CommitmentOperations.check(context.exerciseID, on: tx)
            guard check.valid else {
                let summary = check.problems.map(\.message).joined(separator: " ")
                throw CocreaError(status: 422, code: "plan_invalid",
                                  message: "El plan aún no cumple las reglas y no puede congelarse: \(summary)",
                                  facts: ["problems": .value(check.problems)])
            }
            let commitments = try await CommitmentOperations.list(context.exerciseID, on: tx)
                .sorted { ($0.category.rawValue, $0.title) < ($1.category.rawValue, $1.title) }
            let content = JSON.canonical(Content(exercise: ExerciseDTO(context.exercise), commitments: commitments))
            let sha256 = Hashing.sha256Hex(content)
            let latest = try await PlanVersion.query(on: tx).filter(\.$exercise.$id == context.exerciseID)
                .sort(\.$number, .descending).first()
            if let latest, latest.sha256 == sha256 { return (latest, false) }
            let version = PlanVersion()
            version.$exercise.id = context.exerciseID
            version.number = (latest?.number ?? 0) + 1
            version.content = content
            version.sha256 = sha256
            version.frozenAt = now
            try await version.create(on: tx)
            try await audit.created("planVersion", id: version.id, exercise: context.exerciseID, PlanVersionDTO(version))
            return (version, true)
        }
    }
}
