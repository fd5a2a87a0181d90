import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Neither database indexes a foreign key by itself, and a lookup by one without an index reads the
/// whole table: `GET /public` went from 9 ms to 23 s between 2 and 2,000 exercises that way.
@Suite struct ForeignKeyIndexTests {
    private struct Column: Decodable, Hashable {
        var table_name: String
        var column_name: String

        var label: String { "\(table_name).\(column_name)" }
    }

    /// Every foreign key of the migrated schema, and the first column of every index (a unique
    /// constraint's or a primary key's included).
    private func schema(of app: Application, _ database: TestDatabase) async throws -> (foreignKeys: [Column], leading: Set<Column>) {
        let sql = app.db as! any SQLDatabase
        switch database {
        case .sqlite:
            let foreignKeys = try await sql.raw(
                """
                SELECT m.name AS table_name, f."from" AS column_name
                FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
                """
            ).all(decoding: Column.self)
            let leading = try await sql.raw(
                """
                SELECT m.name AS table_name, i.name AS column_name
                FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) i
                WHERE m.type = 'table' AND i.seqno = 0
                """
            ).all(decoding: Column.self)
            return (foreignKeys, Set(leading))
        case .postgres:
            let foreignKeys = try await sql.raw(
                """
                SELECT t.relname AS table_name, a.attname AS column_name
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.contype = 'f' AND n.nspname = current_schema()
                """
            ).all(decoding: Column.self)
            let leading = try await sql.raw(
                """
                SELECT t.relname AS table_name, a.attname AS column_name
                FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
                WHERE n.nspname = current_schema()
                """
            ).all(decoding: Column.self)
            return (foreignKeys, Set(leading))
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyForeignKeyLeadsAnIndex(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (foreignKeys, leading) = try await schema(of: app, database)
            #expect(foreignKeys.count > 40, "the schema's foreign keys were read")
            let unindexed = foreignKeys.filter { !leading.contains($0) }.map(\.label).sorted()
            #expect(unindexed == [], "foreign keys without an index: \(unindexed.joined(separator: ", "))")
            for hot in ["commitments.exercise_id", "activities.commitment_id", "activity_updates.activity_id"] {
                #expect(leading.contains { $0.label == hot }, "\(hot)")
            }
        }
    }
}
