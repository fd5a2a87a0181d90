import FluentKit
import Foundation

/// Compiled OCDS processes are stored when a package is written, not computed on every read: each
/// package keeps its own processes and each procurement commitment its processes across packages.
/// Packages attached before this migration are compiled once here.
struct CompileProcurementAtWrite: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ProcurementPackage.schema)
            .field("processes", .string, .required, .sql(.default("[]")))
            .update()
        try await database.schema(ProcurementCompilation.schema)
            .id()
            .field("commitment_id", .uuid, .required, .references(Commitment.schema, "id", onDelete: .cascade))
            .field("processes", .string, .required)
            .field("compiled_at", .datetime, .required)
            .unique(on: "commitment_id")
            .create()
        try await ProcurementCompilation.compileEveryPackage(on: database, at: Date())
    }

    func revert(on database: Database) async throws {
        try await database.schema(ProcurementCompilation.schema).delete()
        try await database.schema(ProcurementPackage.schema).deleteField("processes").update()
    }
}
