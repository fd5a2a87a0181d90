import FluentKit
import SQLKit

/// An exercise is a draft, seen only by its members, until it is published. An exercise whose plan
/// was already sealed was public already: it stays public, published when its first version was sealed.
struct AddExercisePublication: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Exercise.schema).field("published_at", .datetime).update()
        try await Self.publishSealed(on: database)
    }

    /// Every exercise with a sealed plan and no publication date gets its first seal's date.
    static func publishSealed(on database: Database) async throws {
        // Through SQL, so that filling it does not count as editing the exercise (updated_at stays).
        let sql = database as! any SQLDatabase
        let sealed = try await PlanVersion.query(on: database).field(\.$exercise.$id).field(\.$sealedAt)
            .filter(\.$sealedAt != nil).all()
        let firstSeal = Dictionary(sealed.map { ($0.$exercise.id, $0.sealedAt!) }, uniquingKeysWith: min)
        for (exerciseID, sealedAt) in firstSeal {
            try await sql.update(Exercise.schema).set("published_at", to: sealedAt)
                .where("id", .equal, exerciseID).where("published_at", .is, SQLLiteral.null).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(Exercise.schema).deleteField("published_at").update()
    }
}
