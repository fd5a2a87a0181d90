import CocreaStore
import CocreaUseCases
import FluentPostgresDriver
import Foundation
import Vapor

/// Wakes the live streams of a table when something happened at it. In one process it is direct;
/// across several `cocrea serve` processes on one PostgreSQL, writers also `NOTIFY` and every
/// process `LISTEN`s (see `LiveListener`). A stream woken reads the events it has not sent from the
/// database, so a wake-up carries no data and a missed one loses nothing.
final class RoundtableHub: @unchecked Sendable {
    struct Subscription {
        let table: UUID
        let id = UUID()
        let stream: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation
    }

    private let lock = NSLock()
    private var subscribers: [UUID: [UUID: AsyncStream<Void>.Continuation]] = [:]

    func subscribe(_ table: UUID) -> Subscription {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let subscription = Subscription(table: table, stream: stream, continuation: continuation)
        lock.withLock { subscribers[table, default: [:]][subscription.id] = continuation }
        continuation.yield()
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        let continuation = lock.withLock { subscribers[subscription.table]?.removeValue(forKey: subscription.id) }
        continuation?.finish()
    }

    func wake(_ table: UUID) {
        let continuations = lock.withLock { subscribers[table].map { Array($0.values) } ?? [] }
        continuations.forEach { $0.yield() }
    }

    func subscriberCount(_ table: UUID) -> Int {
        lock.withLock { subscribers[table]?.count ?? 0 }
    }
}

struct RoundtableHubKey: StorageKey {
    typealias Value = RoundtableHub
}

extension Application {
    var roundtableHub: RoundtableHub {
        if let hub = storage[RoundtableHubKey.self] { return hub }
        let hub = RoundtableHub()
        storage[RoundtableHubKey.self] = hub
        return hub
    }
}

/// On PostgreSQL, listens for other processes' table events and wakes this process's streams;
/// reconnects after a lost connection, backing off while the database is away.
struct LiveListener: LifecycleHandler {
    let url: String
    let channel: String
    let hub: RoundtableHub
    private let loop = BackgroundLoop(
        name: "live", logger: Logger(label: "cocrea.live"), backoff: .databaseAway,
        failureLevel: .warning)
    /// The wait before reconnecting after a connection that listened was lost.
    static let reconnectDelay: TimeInterval = 0.5

    init(url: String, channel: String, hub: RoundtableHub) {
        self.url = url
        self.channel = channel
        self.hub = hub
    }

    func didBootAsync(_ application: Application) async throws {
        let logger = Logger(label: "cocrea.live")
        let (url, channel, hub) = (url, channel, hub)
        loop.start {
            let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            // Cancelling (shutdown) closes the connection, which ends the notifications; the connection
            // is closed before it is let go, whichever way the listening ended.
            do {
                try await withTaskCancellationHandler {
                    let notifications = try await connection.listen(channel)
                    do {
                        for try await notification in notifications {
                            if let table = UUID(uuidString: notification.payload) { hub.wake(table) }
                        }
                    } catch {
                        throw ConnectionLost(error: error)
                    }
                } onCancel: {
                    let _: EventLoopFuture<Void> = connection.close()
                }
            } catch let lost as ConnectionLost where !Task.isCancelled {
                try? await connection.close()
                // A connection that listened and was then lost (a database restart) is not one more
                // failure in a row: the backoff starts again, or every restart would make the next
                // reconnection wait longer, up to the backoff's maximum.
                logger.warning("live.connection_lost", metadata: ["error": "\(String(reflecting: lost.error))"])
                return Self.reconnectDelay
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
            // Streams read what they missed when woken; a notification lost while reconnecting costs
            // at most their next 15 s heartbeat.
            return 2
        }
    }

    func shutdownAsync(_ application: Application) async {
        await loop.stop()
    }
}

/// The notifications of a connection that was listening ended with an error.
private struct ConnectionLost: Error {
    let error: any Error
}
