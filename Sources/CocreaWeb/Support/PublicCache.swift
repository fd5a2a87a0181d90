import Foundation
import Vapor

/// The public follow-up (pages, JSON, open data) is the same for every anonymous reader, so a
/// rendered answer is kept until the next write of this process, or a few seconds at most (another
/// process on the same PostgreSQL may have written meanwhile).
///
/// One reader rebuilds an answer at a time (single flight): when the answer has only aged, the others
/// keep getting it meanwhile; when this process has written since, they wait for a rebuild that started
/// after that write (one that started before it would hand them the old answer: they build their own).
/// Without this every concurrent reader rebuilt the page when it expired, and the slowest of them set
/// the p99.
final class PublicCache: @unchecked Sendable {
    private struct Entry {
        var generation: Int
        var storedAt: Date
        var headers: HTTPHeaders
        var body: ByteBuffer

        var response: Response { Response(status: .ok, headers: headers, body: .init(buffer: body)) }
    }

    /// The readers waiting for the one rebuilding an answer, as of the writer's `generation`.
    private final class Flight {
        let generation: Int
        var waiters: [CheckedContinuation<Entry?, Never>] = []

        init(generation: Int) {
            self.generation = generation
        }
    }

    private enum Step {
        case serve(Entry)
        case wait
        case rebuild
        case buildAlone
    }

    /// How long an answer stands without a write of this process (5 s in service).
    let lifetime: TimeInterval
    static let capacity = 1000
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var flights: [String: Flight] = [:]

    init(lifetime: TimeInterval = 5) {
        self.lifetime = lifetime
    }

    /// The cached answer to an anonymous request, or `build()`'s (kept when it is a 200).
    func respond(to req: Request, build: () async throws -> Response) async throws -> Response {
        guard Self.isAnonymous(req) else { return try await build() }
        let key = "\(req.language.rawValue) \(req.url.string)"
        let generation = req.application.writer.generation
        switch step(for: key, generation: generation, now: Date()) {
        case .serve(let entry):
            return entry.response
        case .wait:
            // Nil when the rebuild failed or was not a 200: then this reader builds its own answer.
            if let entry = await waitForFlight(key, generation: generation) { return entry.response }
            return try await build()
        case .rebuild:
            return try await rebuild(key, generation: generation, build: build)
        case .buildAlone:
            return try await build()
        }
    }

    /// No bearer token, and no signed-in session: a stale or made-up session cookie opens nothing (the
    /// sessions middleware has looked it up by then on pages), so it gets what no cookie gets. The API
    /// reads no cookie at all.
    private static func isAnonymous(_ req: Request) -> Bool {
        req.headers.bearerAuthorization == nil && !(req.hasSession && !req.session.data.snapshot.isEmpty)
    }

    private func step(for key: String, generation: Int, now: Date) -> Step {
        lock.withLock {
            let current = entries[key].flatMap { $0.generation == generation ? $0 : nil }
            if let current, now.timeIntervalSince(current.storedAt) < lifetime { return .serve(current) }
            if let flight = flights[key] {
                if let current { return .serve(current) }
                return flight.generation == generation ? .wait : .buildAlone
            }
            flights[key] = Flight(generation: generation)
            return .rebuild
        }
    }

    private func waitForFlight(_ key: String, generation: Int) async -> Entry? {
        await withCheckedContinuation { continuation in
            lock.withLock {
                if let flight = flights[key], flight.generation == generation {
                    flight.waiters.append(continuation)
                } else {
                    continuation.resume(returning: entries[key].flatMap { $0.generation == generation ? $0 : nil })
                }
            }
        }
    }

    private func rebuild(_ key: String, generation: Int, build: () async throws -> Response) async throws -> Response {
        var stored: Entry?
        defer {
            let waiters = lock.withLock {
                if let stored {
                    if entries.count >= Self.capacity { entries.removeAll() }
                    entries[key] = stored
                }
                return flights.removeValue(forKey: key)?.waiters ?? []
            }
            for waiter in waiters { waiter.resume(returning: stored) }
        }
        let response = try await build()
        if response.status == .ok, let body = response.body.buffer {
            stored = Entry(generation: generation, storedAt: Date(), headers: response.headers, body: body)
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
