import CocreaCore
import CocreaStore
import Fluent
import SQLKit
import Vapor

/// One event of a live table, ready to show: the console's script inserts these texts as they are.
struct LiveEvent: Content {
    var type: String
    /// "14:32", in the exercise's time zone.
    var at: String
    var stage: RoundtableStage?
    var stageLabel: String?
    var memberId: UUID?
    var memberName: String?
    var presenceLabel: String?
    var interventionId: UUID?
    var kindLabel: String?
    var text: String?
    var itemId: UUID?
    var itemTitle: String?
    var itemBody: String?
}

/// Writes table events inside the caller's transaction and wakes the live streams after it.
enum LiveEvents {
    static func append(_ event: LiveEvent, table: UUID, at now: Date, on tx: Database, channel: String?) async throws {
        let last = try await RoundtableEvent.query(on: tx).sort(\.$sequence, .descending).first()?.sequence ?? 0
        try await RoundtableEvent(sequence: last + 1, roundtableID: table, kind: event.type, payload: JSON.canonical(event), occurredAt: now)
            .create(on: tx)
        // PostgreSQL delivers the notification when the transaction commits, to every process.
        if let channel, let sql = tx as? any SQLDatabase {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: table.uuidString))").run()
        }
    }

    static func time(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The Server-Sent Events stream of a table: every event after `after` (the `Last-Event-ID` a
    /// reconnecting browser sends), then each new one as it happens; a comment every 15 s keeps
    /// proxies from closing it and notices a participant who left.
    static func stream(table: UUID, after: Int, on app: Application) -> Response {
        let hub = app.roundtableHub
        let db = app.db
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        // Managed: Vapor ends the body when this returns or throws (a participant who left).
        response.body = .init(managedAsyncStream: { writer in
            let subscription = hub.subscribe(table)
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    subscription.continuation.yield()
                }
            }
            defer {
                heartbeat.cancel()
                hub.unsubscribe(subscription)
            }
            var last = after
            try await writer.writeBuffer(ByteBuffer(string: "retry: 2000\n\n"))
            for await _ in subscription.stream {
                let events = try await RoundtableEvent.query(on: db).filter(\.$roundtable.$id == table)
                    .filter(\.$sequence > last).sort(\.$sequence).all()
                if events.isEmpty {
                    try await writer.writeBuffer(ByteBuffer(string: ": sigue\n\n"))
                    continue
                }
                var chunk = ""
                for event in events {
                    chunk += "id: \(event.sequence)\nevent: \(event.kind)\ndata: \(event.payload)\n\n"
                    last = event.sequence
                }
                try await writer.writeBuffer(ByteBuffer(string: chunk))
            }
        })
        return response
    }
}
