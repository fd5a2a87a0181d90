import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Online backup of the SQLite file (`VACUUM INTO` takes a consistent snapshot while the server
/// keeps serving) and restore of such a copy after checking it.
public enum Backup {
    public static func backup(to destination: String, app: Application) async throws {
        guard case .sqlite = app.options.location, let sql = app.db as? any SQLDatabase else {
            throw CocreaError.backupUnsupported
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CocreaError.backupExists(destination)
        }
        try await sql.raw("VACUUM INTO \(bind: destination)").run()
    }

    /// Puts a checked copy in place of the database file and returns where the previous database
    /// was kept (nil when there was none). Refused while a server holds the data directory.
    ///
    /// The copy is staged beside the database and checked there (what is checked is what goes in
    /// place); the previous database is checkpointed so its file holds everything, kept under a dated
    /// name (a hard link: `cocrea.sqlite` never stops existing), and the staged copy is renamed over
    /// it, which is atomic within one directory. No `-wal` of the previous database is left beside the
    /// new one: SQLite would replay it onto the wrong file.
    @discardableResult
    public static func restore(from source: String, to databasePath: String, at now: Date = Date()) async throws -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: source) else {
            throw CocreaError.backupSourceNotFound(source)
        }
        let directory = (databasePath as NSString).deletingLastPathComponent
        let lock = try DataDirectoryLock.acquire(
            directory: directory, purpose: "Detén el servidor antes de restaurar una copia.")
        defer { lock.release() }

        let staging = databasePath + ".restoring"
        removeDatabaseFiles(staging)
        try files.copyItem(atPath: source, toPath: staging)
        do {
            try await verify(copy: staging, of: source)
        } catch {
            removeDatabaseFiles(staging)
            throw error
        }

        var previous: String?
        if files.fileExists(atPath: databasePath) {
            try? await checkpoint(databasePath)
            let kept = keptName(for: databasePath, at: now)
            try keep(databasePath, as: kept)
            // Whatever the checkpoint could not fold in (a damaged file) goes with the kept copy.
            if files.fileExists(atPath: databasePath + "-wal") {
                try files.moveItem(atPath: databasePath + "-wal", toPath: kept + "-wal")
            }
            try? files.removeItem(atPath: databasePath + "-shm")
            previous = kept
        }
        guard rename(staging, databasePath) == 0 else {
            throw CocreaError.restoreFailed(databasePath, reason: String(cString: strerror(errno)))
        }
        return previous
    }

    /// `cocrea-antes-de-restaurar-20260301-101500.sqlite` beside the database (UTC).
    static func keptName(for databasePath: String, at now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let directory = (databasePath as NSString).deletingLastPathComponent
        let base = (directory as NSString).appendingPathComponent("cocrea-antes-de-restaurar-\(formatter.string(from: now))")
        var candidate = base + ".sqlite"
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = base + "-\(counter).sqlite"
            counter += 1
        }
        return candidate
    }

    /// A second name for the database file (its bytes copied where hard links are not supported).
    private static func keep(_ path: String, as kept: String) throws {
        if link(path, kept) != 0 {
            try FileManager.default.copyItem(atPath: path, toPath: kept)
        }
    }

    /// Folds the WAL into the database file so the kept copy is whole by itself; closing the last
    /// connection then removes the `-wal` and `-shm` files.
    private static func checkpoint(_ path: String) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            try await connection.sql().raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Checks the staged copy and leaves it in rollback-journal mode: no `-wal` travels with it, and
    /// the server switches it back to WAL when it opens it.
    private static func verify(copy path: String, of source: String) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        do {
            try await check(connection.sql())
            try await connection.sql().raw("PRAGMA journal_mode=DELETE").run()
            try await connection.close()
        } catch let error as CocreaError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw CocreaError.backupUnreadable(source)
        }
    }

    private static func check(_ sql: any SQLDatabase) async throws {
        struct Check: Decodable { let integrity_check: String }
        struct Table: Decodable { let name: String }
        let integrity = try await sql.raw("PRAGMA integrity_check").all(decoding: Check.self)
        guard integrity.map(\.integrity_check) == ["ok"] else {
            throw CocreaError.backupFailsIntegrityCheck
        }
        let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all(decoding: Table.self).map(\.name)
        guard tables.contains(Exercise.schema), tables.contains(AuditEvent.schema) else {
            throw CocreaError.backupNotCocrea
        }
    }
}
