import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Foundation
import Vapor

/// A national instance for the scale benchmark: copies of one sealed exercise (its members, its
/// commitments and activities, the sealed version and the progress reported on it) under other
/// municipalities' names, each written and audited in one transaction as the operations do, until the
/// instance holds `count` exercises with a sealed plan. Only `cocrea bench seed` uses it.
public enum ScaleSeed {
    static let municipalities = [
        ("San Pedro Tlaquepaque", "Jalisco"), ("Oaxaca de Juárez", "Oaxaca"), ("Mérida", "Yucatán"),
        ("Santiago de Querétaro", "Querétaro"), ("León", "Guanajuato"), ("Xalapa", "Veracruz"),
        ("San Cristóbal de las Casas", "Chiapas"), ("Cuernavaca", "Morelos"), ("Hermosillo", "Sonora"),
        ("Tepic", "Nayarit"), ("Pachuca de Soto", "Hidalgo"), ("Chilpancingo de los Bravo", "Guerrero"),
    ]

    /// Returns how many exercises with a sealed plan the instance holds afterwards.
    public static func grow(to count: Int, on app: Application) async throws -> Int {
        let db = app.db
        guard let template = try await PlanVersion.query(on: db).filter(\.$sealedAt != nil).sort(\.$frozenAt).first() else {
            throw CocreaError.noSealedPlan
        }
        let exerciseID = template.$exercise.id
        let exercise = try await Exercise.find(exerciseID, on: db)!
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).with(\.$user).all()
        let commitments = try await Commitment.query(on: db).filter(\.$exercise.$id == exerciseID).all()
        let activities = try await Activity.query(on: db).filter(\.$commitment.$id ~~ commitments.map { $0.id! }).all()
        let updates = try await ActivityUpdate.query(on: db).filter(\.$activity.$id ~~ activities.map { $0.id! }).all()
        let content = try PlanVersionOperations.content(of: template)
        var sealed = try await ExerciseListing.publicPage(search: nil, page: 1, on: db).total
        while sealed < count {
            let number = sealed + 1
            let (town, state) = municipalities[sealed % municipalities.count]
            let name = "Plan de Acción Local de \(town) \(number)"
            try await app.writer.write(on: db, actor: .system) { tx, audit in
                let copy = Exercise(
                    name: name, territory: "\(town), \(state)", timeZone: exercise.timeZone,
                    nationalPlan: exercise.nationalPlan, sectorLabels: exercise.sectorLabels)
                try await copy.create(on: tx)
                try await audit.created("exercise", id: copy.id, exercise: copy.id, ["name": name])
                for member in members {
                    let email = "\(number).\(member.email)"
                    let user = User(email: email, name: member.name, passwordHash: member.user.passwordHash)
                    try await user.create(on: tx)
                    let row = Member(
                        exerciseID: copy.id!, userID: user.id!, name: member.name, email: email,
                        sector: member.sector, organization: member.organization, role: member.role)
                    try await row.create(on: tx)
                    try await audit.created("member", id: row.id, exercise: copy.id, ["email": email])
                }
                var ids: [UUID: UUID] = [:]
                for commitment in commitments {
                    let row = try clone(commitment)
                    row.$exercise.id = copy.id!
                    try await row.create(on: tx)
                    ids[commitment.id!] = row.id!
                    try await audit.created("commitment", id: row.id, exercise: copy.id, ["title": row.title])
                }
                for activity in activities {
                    let row = try clone(activity)
                    row.$commitment.id = ids[activity.$commitment.id]!
                    try await row.create(on: tx)
                    ids[activity.id!] = row.id!
                    try await audit.created("activity", id: row.id, exercise: copy.id, ["title": row.title])
                }
                var frozen = content
                frozen.exercise = ExerciseDTO(copy)
                for c in frozen.commitments.indices {
                    frozen.commitments[c].id = frozen.commitments[c].id.flatMap { ids[$0] }
                    for a in frozen.commitments[c].activities.indices {
                        frozen.commitments[c].activities[a].id = frozen.commitments[c].activities[a].id.flatMap { ids[$0] }
                        frozen.commitments[c].activities[a].commitmentId = frozen.commitments[c].id!
                    }
                }
                let version = try clone(template)
                version.$exercise.id = copy.id!
                version.content = JSON.canonical(frozen)
                version.sha256 = Hashing.sha256Hex(version.content)
                try await version.create(on: tx)
                try await audit.created("planVersion", id: version.id, exercise: copy.id, ["sha256": version.sha256])
                for update in updates {
                    let row = try clone(update)
                    row.$activity.id = ids[update.$activity.id]!
                    try await row.create(on: tx)
                    try await audit.created("activityUpdate", id: row.id, exercise: copy.id, ["progress": row.progress])
                }
            }
            sealed += 1
        }
        return sealed
    }

    /// A new row with every field of `model` but a fresh id (models are Codable field by field).
    private static func clone<M: Model>(_ model: M) throws -> M where M.IDValue == UUID {
        let copy = try JSONDecoder().decode(M.self, from: JSONEncoder().encode(model))
        copy.id = UUID()
        return copy
    }
}
