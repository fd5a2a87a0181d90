import CocreaCore
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Reads every request body before any handler does, within the route's own limit and a time limit,
/// and checks multipart/form-data bodies so that MultipartKit never traps on them (see `MultipartGuard`).
/// A body over the route's limit is refused while it arrives (413), one that has not arrived in
/// `deadline` is refused with 408, and a body for no route is not read at all.
struct RequestBodyMiddleware: AsyncMiddleware {
    /// Enough for 21 MB at under 2 Mbit/s; a client slower than that holds the connection for nothing.
    static let deadline = TimeAmount.seconds(120)

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = req.route, req.method != .GET, req.method != .HEAD else { return try await next.respond(to: req) }
        var boundary: String?
        if req.headers.contentType?.type == "multipart" {
            guard let declared = req.headers.contentType?.parameters["boundary"], MultipartGuard.isValidBoundary(declared) else {
                throw CocreaError.invalidBody("el cuerpo multipart/form-data no declara un «boundary» válido.")
            }
            boundary = declared
        }
        let limit = route.maximumBodyBytes ?? req.application.routes.defaultMaxBodySize.value
        var body = req.body.data
        if body == nil {
            if limit > req.application.routes.defaultMaxBodySize.value {
                // An upload: only a few are held in memory at once, so the memory they take is bounded.
                let slots = req.application.uploadSlots
                let client = req.clientAddress
                guard slots.acquire(client) else { throw CocreaError.uploadsBusy }
                defer { slots.release(client) }
                body = try await Self.collect(req, max: limit)
            } else {
                body = try await Self.collect(req, max: limit)
            }
        }
        // A body that arrived whole (HTTP/2, tests) is held to the same limit.
        guard (body?.readableBytes ?? 0) <= limit else { throw Abort(.payloadTooLarge) }
        if let boundary, let body, !MultipartGuard.partHeaderNamesAreASCII(Array(body.readableBytesView), boundary: boundary) {
            throw CocreaError.invalidBody("el cuerpo multipart/form-data no es válido (un encabezado de parte tiene caracteres no permitidos).")
        }
        return try await next.respond(to: req)
    }

    private static func collect(_ req: Request, max limit: Int) async throws -> ByteBuffer? {
        let promise = req.eventLoop.makePromise(of: ByteBuffer?.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Result<ByteBuffer?, any Error>) -> Void = { result in
            guard settled.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            promise.completeWith(result)
        }
        let timeout = req.eventLoop.scheduleTask(in: deadline) {
            settle(.failure(CocreaError.requestTimeout))
        }
        req.body.collect(max: limit).whenComplete { result in
            timeout.cancel()
            settle(result)
        }
        return try await promise.futureResult.get()
    }
}

/// Uploads being received at once, in all and per client address: with 21 MB each, `total` bounds
/// the memory uploads take, and `perClient` keeps one address from taking every slot.
final class UploadSlots: Sendable {
    static let total = 8
    static let perClient = 2
    private let state = NIOLockedValueBox((inUse: 0, byClient: [String: Int]()))

    func acquire(_ client: String) -> Bool {
        state.withLockedValue { state in
            guard state.inUse < Self.total, state.byClient[client, default: 0] < Self.perClient else { return false }
            state.inUse += 1
            state.byClient[client, default: 0] += 1
            return true
        }
    }

    func release(_ client: String) {
        state.withLockedValue { state in
            state.inUse -= 1
            state.byClient[client, default: 1] -= 1
            if state.byClient[client] == 0 { state.byClient[client] = nil }
        }
    }
}

struct UploadSlotsKey: StorageKey {
    typealias Value = UploadSlots
}

extension Application {
    var uploadSlots: UploadSlots {
        guard let slots = storage[UploadSlotsKey.self] else { fatalError("configure(_:options:) has not run") }
        return slots
    }
}
