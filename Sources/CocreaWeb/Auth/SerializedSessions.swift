import CocreaStore
import Fluent
import Vapor

/// Fluent's database sessions, with their writes taking turns with the writer's transactions on SQLite.
struct SerializedSessions: SessionDriver {
    let inner: any SessionDriver
    let writer: Writer

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.createSession(data, for: request).get() } }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        inner.readSession(sessionID, for: request)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.updateSession(sessionID, to: data, for: request).get() } }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask { try await writer.serialized { try await inner.deleteSession(sessionID, for: request).get() } }
    }
}
