import Foundation
import Vapor

/// The public follow-up (pages, JSON, open data) is the same for every anonymous reader, so a
/// rendered answer is kept until the next write of this process, or a few seconds at most (another
/// process on the same PostgreSQL may have written meanwhile).
final class PublicCache: @unchecked Sendable {
    private struct Entry {
        var generation: Int
        var storedAt: Date
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    static let lifetime: TimeInterval = 5
    static let capacity = 1000
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The cached answer to an anonymous request, or `build()`'s (kept when it is a 200).
    func respond(to req: Request, build: () async throws -> Response) async throws -> Response {
        guard req.cookies["cocrea_session"] == nil, req.headers.bearerAuthorization == nil else { return try await build() }
        let key = "\(req.language.rawValue) \(req.url.string)"
        let generation = req.application.writer.generation
        let now = Date()
        if let entry = lock.withLock({ entries[key] }), entry.generation == generation, now.timeIntervalSince(entry.storedAt) < Self.lifetime {
            return Response(status: .ok, headers: entry.headers, body: .init(buffer: entry.body))
        }
        let response = try await build()
        if response.status == .ok, let body = response.body.buffer {
            lock.withLock {
                if entries.count >= Self.capacity { entries.removeAll() }
                entries[key] = Entry(generation: generation, storedAt: now, headers: response.headers, body: body)
            }
        }
        return response
    }
}

struct PublicCacheKey: StorageKey {
    typealias Value = PublicCache
}

extension Application {
    var publicCache: PublicCache {
        if let cache = storage[PublicCacheKey.self] { return cache }
        let cache = PublicCache()
        storage[PublicCacheKey.self] = cache
        return cache
    }
}
