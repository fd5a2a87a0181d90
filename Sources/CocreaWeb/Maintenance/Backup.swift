import CocreaCore
import CocreaStore
import Fluent
import SQLKit
import FluentSQLiteDriver
import Vapor

/// Online backup of the SQLite file (`VACUUM INTO` takes a consistent snapshot while the server
/// keeps serving) and restore of such a copy after checking it.
public enum Backup {
    public static func backup(to destination: String, app: Application) async throws {
        guard case .sqlite = app.options.location, let sql = app.db as? any SQLDatabase else {
            throw CocreaError(status: 400, code: "backup_unsupported",
                              message: "La copia de seguridad integrada es para SQLite; en PostgreSQL usa pg_dump.")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CocreaError(status: 409, code: "backup_exists", message: "Ya existe \(destination); elige otro nombre.")
        }
        try await sql.raw("VACUUM INTO \(bind: destination)").run()
    }

    /// Checks the copy (integrity and Cocrea's tables) and puts it in place of the database file.
    /// The server must be stopped: the file is replaced underneath any open connection.
    public static func restore(from source: String, to databasePath: String) async throws {
        guard FileManager.default.fileExists(atPath: source) else {
            throw CocreaError.notFound("el archivo \(source)")
        }
        try await verify(copy: source)
        let staging = databasePath + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: source, toPath: staging)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        if FileManager.default.fileExists(atPath: databasePath) {
            _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: databasePath), withItemAt: URL(fileURLWithPath: staging))
        } else {
            try FileManager.default.moveItem(atPath: staging, toPath: databasePath)
        }
    }

    private static func verify(copy path: String) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            try await check(connection.sql())
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func check(_ sql: any SQLDatabase) async throws {
        struct Check: Decodable { let integrity_check: String }
        struct Table: Decodable { let name: String }
        let integrity = try await sql.raw("PRAGMA integrity_check").all(decoding: Check.self)
        guard integrity.map(\.integrity_check) == ["ok"] else {
            throw CocreaError(status: 422, code: "backup_corrupt", message: "La copia no pasa la revisión de integridad de SQLite; no se restauró.")
        }
        let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all(decoding: Table.self).map(\.name)
        guard tables.contains(Exercise.schema), tables.contains(AuditEvent.schema) else {
            throw CocreaError(status: 422, code: "backup_not_cocrea", message: "El archivo no es una copia de Cocrea; no se restauró.")
        }
    }
}
