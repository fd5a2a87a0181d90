import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Signed-in sessions in the database (`WebSession`), with their writes taking turns with the
/// writer's transactions on SQLite.
///
/// Only what is worth keeping is written: a session whose data did not change is not written again
/// (reading pages signed in costs no write), and a visitor with no data — no cookie, a stale cookie
/// or a made-up one — gets no row at all. Sessions end `WebSession.lifetime` after sign-in; expired
/// rows are removed whenever someone signs in. Each write raises the stored generation in its own
/// transaction: a signed-out or replaced session must not be answered from `ViewerCache`.
struct DatabaseSessions: SessionDriver {
    let writer: Writer

    private struct ReadDataKey: StorageKey {
        typealias Value = SessionData
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        guard !data.snapshot.isEmpty else {
            // A cookie for no stored session: the next request reads nothing and writes nothing.
            return request.eventLoop.makeSucceededFuture(SessionID(string: Hashing.randomToken()))
        }
        let key = Hashing.randomToken()
        let replaced = request.storage[ReplacedSessionKey.self].map { Hashing.sha256Hex($0.string) }
        let now = request.now
        let db = request.db
        return request.eventLoop.makeFutureWithTask {
            try await writer.serialized {
                try await db.transactionEndingWithConnection { tx in
                    try await WebSession.query(on: tx).filter(\.$expiresAt <= now).delete()
                    if let replaced { try await WebSession.query(on: tx).filter(\.$keyHash == replaced).delete() }
                    try await WebSession(keyHash: Hashing.sha256Hex(key), data: data, expiresAt: now.addingTimeInterval(WebSession.lifetime))
                        .create(on: tx)
                    try await Writer.raiseStoredGeneration(on: tx)
                }
                return SessionID(string: key)
            }
        }
    }

    /// The session and the person it signs in, in one join: a session whose person is gone opens nothing.
    /// Fluent's future, not a task: every signed-in page reads its session.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        WebSession.query(on: request.db).filter(\.$keyHash == Hashing.sha256Hex(sessionID.string))
            .filter(\.$expiresAt > request.now).join(User.self, on: \WebSession.$user.$id == \User.$id).first()
            .flatMapThrowing { session in
                guard let session else { return nil }
                request.storage[ReadDataKey.self] = session.data
                request.storage[SessionExpiryKey.self] = session.expiresAt
                request.storage[SessionUserKey.self] = try session.joined(User.self)
                return session.data
            }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadDataKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        let db = request.db
        let userID = WebSession.signedInUserID(data)
        return request.eventLoop.makeFutureWithTask {
            try await writer.serialized {
                try await db.transactionEndingWithConnection { tx in
                    try await WebSession.query(on: tx).filter(\.$keyHash == Hashing.sha256Hex(sessionID.string))
                        .set(\.$data, to: data).set(\.$user.$id, to: userID).update()
                    try await Writer.raiseStoredGeneration(on: tx)
                }
                return sessionID
            }
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        let db = request.db
        return request.eventLoop.makeFutureWithTask {
            try await writer.serialized {
                try await db.transactionEndingWithConnection { tx in
                    try await WebSession.query(on: tx).filter(\.$keyHash == Hashing.sha256Hex(sessionID.string)).delete()
                    try await Writer.raiseStoredGeneration(on: tx)
                }
            }
        }
    }
}

/// The person the session read for this request signs in, read with it.
struct SessionUserKey: StorageKey {
    typealias Value = User
}

/// When the session read for this request ends.
struct SessionExpiryKey: StorageKey {
    typealias Value = Date
}

/// The session a sign-in replaced, deleted when the new one is stored.
struct ReplacedSessionKey: StorageKey {
    typealias Value = SessionID
}
