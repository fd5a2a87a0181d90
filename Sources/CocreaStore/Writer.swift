import CocreaCore
import FluentKit
import Foundation
import SQLKit

/// Runs every change in one transaction with its audit event. SQLite allows one writer at a time:
/// serialising writes in-process avoids `SQLITE_BUSY` from two pooled connections upgrading read
/// locks at once. PostgreSQL needs no such lock.
public struct Writer: Sendable {
    public let isSQLite: Bool
    /// The application's clock: every audit event takes its time from it.
    public let now: @Sendable () -> Date
    private let lock = AsyncLock()
    private let counter = GenerationCounter()

    /// Raised after every write of this process that may change what anonymous readers see: what was
    /// read before such a change is known to be out of date after it (the public pages' cache keys on it).
    public var generation: Int { counter.value }

    /// The table whose one row counts the writes committed by every process (`storedGeneration`).
    static let generationTable = "write_generation"

    /// How many writes any process has committed to this database: raised in the same transaction as
    /// each write (`write`, the survey intake's groups, the sessions' rows), so an answer read after this
    /// value and stored with it is out of date exactly when the value has moved.
    public static func storedGeneration(on database: any Database) async throws -> Int64 {
        let row = try await (database as! any SQLDatabase).select().column("value").from(generationTable)
            .where("id", .equal, SQLLiteral.numeric("1")).first()
        return try row?.decode(column: "value", as: Int64.self) ?? 0
    }

    /// Raises the stored generation: inside a write's transaction, as its last statement on PostgreSQL,
    /// where the row's lock then lasts only until the commit.
    public static func raiseStoredGeneration(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("UPDATE \(unsafeRaw: generationTable) SET value = value + 1 WHERE id = 1").run()
    }

    init(isSQLite: Bool, now: @escaping @Sendable () -> Date) {
        self.isSQLite = isSQLite
        self.now = now
    }

    /// Runs a write that cannot take part in a writer transaction (e.g. Vapor's session rows) one at a
    /// time with the others on SQLite, so it never races a transaction into `SQLITE_BUSY_SNAPSHOT`.
    public func serialized<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        isSQLite ? try await lock.withLock(body) : try await body()
    }

    /// `touchesPublicPages: false` is for bookkeeping no public page shows (the outbox's states, sign-in
    /// attempts and links, API tokens, digest records): it keeps the public pages' cache. Anything that
    /// could change a public page, the public JSON or the open data keeps the default.
    public func write<T: Sendable>(
        on database: Database, actor: AuditActor, touchesPublicPages: Bool = true,
        _ body: @escaping @Sendable (Database, AuditLog) async throws -> T
    ) async throws -> T {
        defer { if touchesPublicPages { counter.increment() } }
        // A request whose deadline passed was told nothing was saved: its write neither starts nor commits.
        let deadline = RequestDeadline.current
        if isSQLite {
            return try await lock.withLock {
                if deadline?.hasPassed == true { throw CocreaError.databaseUnavailable }
                return try await database.transaction { tx in
                    // First, so that it takes SQLite's write lock before anything is read: SQLite cannot turn a
                    // read into a write once another process (an operator's `cocrea token create`) has written,
                    // it answers «database is locked» at once; a writing first statement waits its turn instead.
                    try await Self.raiseStoredGeneration(on: tx)
                    let result = try await body(tx, AuditLog(database: tx, actor: actor, isSQLite: true, now: now))
                    guard deadline?.mayCommit() ?? true else { throw CocreaError.databaseUnavailable }
                    return result
                }
            }
        }
        if deadline?.hasPassed == true { throw CocreaError.databaseUnavailable }
        return try await database.transactionEndingWithConnection { tx in
            let result = try await body(tx, AuditLog(database: tx, actor: actor, isSQLite: false, now: now))
            try await Self.raiseStoredGeneration(on: tx)
            guard deadline?.mayCommit() ?? true else { throw CocreaError.databaseUnavailable }
            return result
        }
    }
}

final class GenerationCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() { lock.withLock { count += 1 } }
}

/// A FIFO async mutex: waiters resume in order, one at a time.
final class AsyncLock: @unchecked Sendable {
    private let state = NSLock()
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.lock()
            if locked {
                waiters.append(continuation)
                state.unlock()
            } else {
                locked = true
                state.unlock()
                continuation.resume()
            }
        }
    }

    private func release() {
        state.lock()
        if waiters.isEmpty {
            locked = false
            state.unlock()
        } else {
            let next = waiters.removeFirst()
            state.unlock()
            next.resume()
        }
    }
}
