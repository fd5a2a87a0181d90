import CocreaStore
import Fluent
import Vapor

/// Fluent's database sessions, with their writes taking turns with the writer's transactions on SQLite.
///
/// Vapor writes a session back after every request that looked at it; a session whose data did not
/// change is not written again, so reading pages signed in costs no database write.
struct SerializedSessions: SessionDriver {
    let inner: any SessionDriver
    let writer: Writer

    private struct ReadDataKey: StorageKey {
        typealias Value = SessionData
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.createSession(data, for: request).get() } }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        inner.readSession(sessionID, for: request).map { data in
            request.storage[ReadDataKey.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadDataKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.updateSession(sessionID, to: data, for: request).get() } }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.deleteSession(sessionID, for: request).get() } }
    }
}
