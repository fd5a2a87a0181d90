import FluentKit
import SQLKit

/// Dossier items become public with the exercise unless marked «solo STL»; existing ones are public.
struct AddDossierVisibility: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(DossierItem.schema).field("visibility", .string, .required, .sql(.default("public"))).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(DossierItem.schema).deleteField("visibility").update()
    }
}
