import FluentKit
import SQLKit

struct CreateConsultation: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Survey.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("questions", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .string, .required)
            .field("published_at", .datetime)
            .field("closed_at", .datetime)
            .field("revision", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(SurveyResponse.schema)
            .id()
            .field("survey_id", .uuid, .required, .references(Survey.schema, "id", onDelete: .cascade))
            .field("answers", .string, .required)
            .field("channel", .string, .required)
            .field("received_at", .datetime, .required)
            .create()
        try await database.schema(RequestImport.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("file_id", .uuid, .required, .references(StoredFile.schema, "id"))
            .field("state", .string, .required)
            .field("valid_rows", .int, .required)
            .field("invalid_rows", .int, .required)
            .field("imported_rows", .int, .required)
            .field("imported_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("applied_at", .datetime)
            .create()
        try await database.schema(RequestTopic.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("label", .string, .required)
            .field("terms", .string, .required)
            .field("size", .int, .required)
            .field("position", .int, .required)
            .field("detected_at", .datetime, .required)
            .field("dossier_item_id", .uuid, .references(DossierItem.schema, "id", onDelete: .setNull))
            .create()
        try await database.schema(InformationRequest.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id", onDelete: .cascade))
            .field("import_id", .uuid, .required, .references(RequestImport.schema, "id", onDelete: .cascade))
            .field("folio", .string, .required)
            .field("filed_on", .string, .required)
            .field("obligated_body", .string, .required)
            .field("text", .string, .required)
            .field("extra", .string, .required)
            .field("topic_id", .uuid, .references(RequestTopic.schema, "id", onDelete: .setNull))
            .unique(on: "exercise_id", "folio")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "survey_responses_by_survey").on(SurveyResponse.schema).column("survey_id").run()
            try await sql.create(index: "information_requests_by_topic").on(InformationRequest.schema).column("topic_id").run()
        }
    }

    func revert(on database: Database) async throws {
        for schema in [InformationRequest.schema, RequestTopic.schema, RequestImport.schema, SurveyResponse.schema, Survey.schema] {
            try await database.schema(schema).delete()
        }
    }
}
