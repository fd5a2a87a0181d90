import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The live table as Server-Sent Events.
enum LiveStream {
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
