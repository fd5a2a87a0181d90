import FluentKit
import SQLKit

/// A national instance lists thousands of exercises: pages search them by name and territory
/// without case or accents, in the folded column this fills for the exercises that exist.
struct AddExerciseSearchKey: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Exercise.schema).field("search_key", .string, .required, .sql(.default(""))).update()
        // Through SQL, so that filling it does not count as editing the exercise (updated_at stays).
        let sql = database as! any SQLDatabase
        // Only the columns this migration knows of: later migrations add others to the model.
        for exercise in try await Exercise.query(on: database).field(\.$id).field(\.$name).field(\.$territory).all() {
            try await sql.update(Exercise.schema)
                .set("search_key", to: Exercise.searchKey(name: exercise.name, territory: exercise.territory))
                .where("id", .equal, exercise.requireID()).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(Exercise.schema).deleteField("search_key").update()
    }
}
