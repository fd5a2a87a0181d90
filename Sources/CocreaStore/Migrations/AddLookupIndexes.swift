import FluentKit
import SQLKit

/// An index under every foreign key and every column the queries filter or sort on. Neither SQLite
/// nor PostgreSQL indexes a foreign key by itself: without these `GET /public` scanned whole tables
/// once per exercise (23 s at 2,000 exercises). A test lists any foreign key left without one.
struct AddLookupIndexes: AsyncMigration {
    /// Table, then the indexed columns in order (the first one is what a lookup by equality uses).
    static let indexes: [(table: String, columns: [String])] = [
        ("login_tokens", ["user_id"]),
        ("api_tokens", ["user_id"]),
        ("login_attempts", ["key", "attempted_at"]),
        ("login_attempts", ["attempted_at"]),
        ("members", ["user_id"]),
        ("dossier_items", ["exercise_id", "created_at"]),
        ("dossier_items", ["contributed_by_member_id"]),
        ("dossier_items", ["file_id"]),
        ("dossier_distributions", ["sent_by_user_id"]),
        ("receipts", ["member_id"]),
        ("receipts", ["reminder_token_hash"]),
        ("commitments", ["exercise_id"]),
        ("commitments", ["national_commitment_id"]),
        ("commitments", ["dossier_item_id"]),
        ("activities", ["commitment_id"]),
        ("plan_versions", ["paper_file_id"]),
        ("plan_versions", ["sealed_file_id"]),
        ("plan_versions", ["sealed_sha256"]),
        ("plan_versions", ["sealed_at"]),
        ("conformities", ["plan_version_id"]),
        ("conformities", ["member_id"]),
        ("signatures", ["member_id"]),
        ("plan_distributions", ["member_id"]),
        ("plan_distributions", ["delivery_id"]),
        ("roundtables", ["exercise_id", "starts_at"]),
        ("roundtables", ["presenting_item_id"]),
        ("roundtables", ["minutes_file_id"]),
        ("attendances", ["member_id"]),
        ("interventions", ["roundtable_id", "created_at"]),
        ("interventions", ["member_id"]),
        ("interventions", ["dossier_item_id"]),
        ("interventions", ["recorded_by_user_id"]),
        ("roundtable_events", ["roundtable_id", "sequence"]),
        ("activity_updates", ["activity_id", "reported_at"]),
        ("activity_updates", ["evidence_file_id"]),
        ("surveys", ["exercise_id"]),
        ("surveys", ["status", "published_at"]),
        // Results and downloads page through a survey's responses newest first.
        ("survey_responses", ["survey_id", "received_at", "id"]),
        ("request_imports", ["exercise_id"]),
        ("request_imports", ["file_id"]),
        ("request_topics", ["exercise_id", "position"]),
        ("request_topics", ["dossier_item_id"]),
        ("information_requests", ["import_id"]),
        ("procurement_packages", ["added_by_user_id"]),
        ("deliveries", ["exercise_id"]),
        ("deliveries", ["state", "next_attempt_at"]),
        ("audit_events", ["entity_id"]),
        ("digest_sends", ["week"]),
    ]

    static func name(_ index: (table: String, columns: [String])) -> String {
        "\(index.table)_by_\(index.columns.joined(separator: "_"))"
    }

    func prepare(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var create = sql.create(index: Self.name(index)).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
        // The composite index above starts with the same column.
        try await sql.drop(index: "survey_responses_by_survey").run()
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "survey_responses_by_survey").on("survey_responses").column("survey_id").run()
        for index in Self.indexes {
            try await sql.drop(index: Self.name(index)).run()
        }
    }
}
