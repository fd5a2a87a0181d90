import FluentKit
import SQLKit

/// Progress reports at the cuts of the roadmap, each frozen, sealed and numbered within its exercise.
struct CreateProgressReports: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ProgressReportRecord.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("plan_version_id", .uuid, .required, .references(PlanVersion.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("kind", .string, .required)
            .field("snapshot", .string, .required)
            .field("snapshot_sha256", .string, .required)
            .field("file_id", .uuid, .required, .references(StoredFile.schema, "id"))
            .field("pdf_sha256", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("issued_by", .string, .required)
            .unique(on: "exercise_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "progress_reports_by_plan_version").on(ProgressReportRecord.schema).column("plan_version_id").run()
        try await sql.create(index: "progress_reports_by_file").on(ProgressReportRecord.schema).column("file_id").run()
        try await sql.create(index: "progress_reports_by_pdf_sha256").on(ProgressReportRecord.schema).column("pdf_sha256").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ProgressReportRecord.schema).delete()
    }
}
