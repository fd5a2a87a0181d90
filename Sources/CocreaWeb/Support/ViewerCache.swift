import CocreaStore
import Crypto
import FluentKit
import Foundation
import Vapor

/// A signed-in read (a page with its session cookie, an API read with its token) answered again to
/// the same request while nothing was written. Reading a page again costs one query, the stored
/// generation (`Writer.storedGeneration`), instead of its session, its membership and its own reads.
///
/// Exact, not merely recent: every write raises the generation in its own transaction, whichever
/// process made it (the sessions' rows and the survey answers too), and the generation is read after
/// the request arrived, so an answer is served only when nothing was committed since it was built. A
/// signed-out, expired or replaced session, a removed membership or a revoked token therefore gets
/// what the route answers them now. The key is everything a read depends on besides the database and
/// the clock: the URL and the request's credentials, cookies, `Accept` and `Accept-Language`. An
/// answer stands at most `lifetime` (for what a page says about the time) and not past its session's
/// end. An answer is kept from its second request on: a read asked once (most are) costs no query
/// more and takes no memory. Only the GET routes in `reads` take part (marked in `routes`): reads that show nothing kept
/// outside the database (a roundtable's live presence, for one).
final class ViewerCache: @unchecked Sendable {
    private struct Entry {
        let generation: Int64
        let validUntil: Date
        /// When the session it was built for ends, on the application's clock (`Request.now`).
        let sessionEnd: Date
        let headers: HTTPHeaders
        let body: ByteBuffer
        var lastRead: UInt64

        var response: Response { Response(status: .ok, headers: headers, body: .init(buffer: body)) }
    }

    /// The reads answered from here: the main signed-in pages and API reads, which show only written rows.
    static let reads: Set<String> = [
        "exercises", "exercises/:exerciseID", "exercises/:exerciseID/plan",
        "api/v1/exercises", "api/v1/exercises/:exerciseID", "api/v1/exercises/:exerciseID/commitments",
    ]

    /// How long an answer stands when nothing is written (what a page says about the time).
    let lifetime: TimeInterval
    /// The bytes of the answers kept; the least recently read go first.
    let capacity: Int
    /// Many small answers (one per query string) cost more in keys and headers than in bodies.
    static let maximumEntries = 20_000
    /// An answer larger than this is not kept (a few such would push every page out).
    let largestAnswer: Int
    let generations = GenerationReader()
    private let lock = NSLock()
    private var entries: [Data: Entry] = [:]
    /// The requests asked once, not yet kept; forgotten all at once when there are many.
    private var askedOnce = Set<Data>()
    private var bytes = 0
    private var reads: UInt64 = 0

    init(lifetime: TimeInterval = 5, capacity: Int = 64 << 20, largestAnswer: Int = 2 << 20) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.largestAnswer = largestAnswer
    }

    var storedBytes: Int { lock.withLock { bytes } }

    /// The request as the answer depends on it, hashed so that no credential is kept in memory.
    static func key(for req: Request) -> Data? {
        let credentials = req.headers[.authorization].joined(separator: ",")
        let cookies = req.headers[.cookie].joined(separator: "; ")
        guard !credentials.isEmpty || !cookies.isEmpty else { return nil }
        let parts = [
            req.url.string, credentials, cookies, req.headers[.accept].joined(separator: ","),
            req.headers[.acceptLanguage].joined(separator: ","),
        ]
        return Data(SHA256.hash(data: Data(parts.joined(separator: "\n").utf8)))
    }

    /// Whether this request was asked before (else it is remembered as asked).
    func isAskedAgain(_ key: Data) -> Bool {
        lock.withLock {
            if entries[key] != nil || askedOnce.contains(key) { return true }
            if askedOnce.count >= 50_000 { askedOnce.removeAll() }
            askedOnce.insert(key)
            return false
        }
    }

    /// What a request does when its answer is not kept as it stands.
    enum Step {
        case serve(Response)
        /// Another request is building this answer at the same generation.
        case wait
        /// This one builds it, and keeps it for the others (`finishRebuild`).
        case rebuild
        /// A build for an older generation is under way: this one builds its own.
        case buildAlone
    }

    /// The requests waiting for the one rebuilding an answer at `generation`.
    private final class Flight {
        let generation: Int64
        var waiters: [CheckedContinuation<Response?, Never>] = []

        init(generation: Int64) {
            self.generation = generation
        }
    }

    private var flights: [Data: Flight] = [:]

    /// One request rebuilds an answer at a time: when it has only aged (same generation, so the same
    /// rows), the others get it meanwhile; when something was written, they wait for that rebuild.
    /// Without this every connection rebuilt a page when it aged, and the slowest set the p99.
    /// `clock` is the application's time, which the session's end is on.
    func step(for key: Data, generation: Int64, now: Date, clock: Date) -> Step {
        lock.withLock {
            if var entry = entries[key], entry.generation == generation, clock < entry.sessionEnd {
                if now < entry.validUntil || flights[key] != nil {
                    reads += 1
                    entry.lastRead = reads
                    entries[key] = entry
                    return .serve(entry.response)
                }
            } else if let flight = flights[key] {
                return flight.generation == generation ? .wait : .buildAlone
            }
            flights[key] = Flight(generation: generation)
            return .rebuild
        }
    }

    /// The answer the rebuild under way keeps, or nil when it keeps none (then build your own).
    func waitForRebuild(of key: Data, generation: Int64) async -> Response? {
        await withCheckedContinuation { continuation in
            lock.withLock {
                if let flight = flights[key], flight.generation == generation {
                    flight.waiters.append(continuation)
                } else {
                    continuation.resume(returning: entries[key].flatMap { $0.generation == generation ? $0.response : nil })
                }
            }
        }
    }

    /// Ends the rebuild of `key`, keeping its answer when there is one to keep, and hands it to those waiting.
    func finishRebuild(of key: Data, keeping kept: Kept?) {
        if let kept { keep(kept.headers, kept.body, for: key, generation: kept.generation, validUntil: kept.validUntil, sessionEnd: kept.sessionEnd) }
        let waiters = lock.withLock { flights.removeValue(forKey: key)?.waiters ?? [] }
        // A response of its own for each: Vapor writes connection headers into the one it sends.
        for waiter in waiters { waiter.resume(returning: kept.map { Response(status: .ok, headers: $0.headers, body: .init(buffer: $0.body)) }) }
    }

    struct Kept {
        let headers: HTTPHeaders
        let body: ByteBuffer
        let generation: Int64
        let validUntil: Date
        let sessionEnd: Date
    }

    func keep(_ headers: HTTPHeaders, _ body: ByteBuffer, for key: Data, generation: Int64, validUntil: Date, sessionEnd: Date = .distantFuture) {
        guard body.readableBytes <= largestAnswer else { return }
        lock.withLock {
            askedOnce.remove(key)
            if let old = entries[key] { bytes -= old.body.readableBytes }
            reads += 1
            entries[key] = Entry(
                generation: generation, validUntil: validUntil, sessionEnd: sessionEnd, headers: headers, body: body, lastRead: reads)
            bytes += body.readableBytes
            guard bytes > capacity || entries.count > Self.maximumEntries else { return }
            // Down to three quarters at once, so that a full cache does not sort its entries at every answer.
            for (oldKey, old) in entries.sorted(by: { $0.value.lastRead < $1.value.lastRead })
            where bytes > capacity / 4 * 3 || entries.count > Self.maximumEntries / 4 * 3 {
                entries[oldKey] = nil
                bytes -= old.body.readableBytes
            }
        }
    }
}

/// Reads the stored generation once for all the requests that arrived while the previous read ran:
/// each waits for a read that started after it arrived (one that started before could miss a write
/// committed before it arrived), and under load one query serves them all.
final class GenerationReader: @unchecked Sendable {
    private enum Turn {
        case read
        case done(Result<Int64, any Error>)
    }

    private let lock = NSLock()
    private var reading = false
    private var waiting: [CheckedContinuation<Turn, Never>] = []

    func current(on database: any Database) async throws -> Int64 {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let first = lock.withLock {
                if reading {
                    waiting.append(continuation)
                    return false
                }
                reading = true
                return true
            }
            if first { continuation.resume(returning: .read) }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .read:
            // Those waiting now arrived before this read starts; later arrivals wait for the next one.
            let batch = lock.withLock {
                defer { waiting.removeAll() }
                return waiting
            }
            let result: Result<Int64, any Error>
            do { result = .success(try await Writer.storedGeneration(on: database)) } catch { result = .failure(error) }
            let next = lock.withLock { () -> CheckedContinuation<Turn, Never>? in
                if waiting.isEmpty {
                    reading = false
                    return nil
                }
                return waiting.removeFirst()
            }
            for waiter in batch { waiter.resume(returning: .done(result)) }
            next?.resume(returning: .read)
            return try result.get()
        }
    }
}

/// Answers marked routes from `ViewerCache`, before the session is read. Placed ahead of the sessions
/// middleware on pages and on the API group; other routes pass through without a task.
struct ViewerCacheMiddleware: Middleware {
    let cache: ViewerCache

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, request.route?.isCachedPerViewer == true, let key = ViewerCache.key(for: request),
            cache.isAskedAgain(key)
        else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            let generation = try await cache.generations.current(on: request.db)
            let now = Date()
            switch cache.step(for: key, generation: generation, now: now, clock: request.now) {
            case .serve(let answer):
                return answer
            case .wait:
                if let answer = await cache.waitForRebuild(of: key, generation: generation) { return answer }
                return try await next.respond(to: request).get()
            case .buildAlone:
                return try await next.respond(to: request).get()
            case .rebuild:
                var kept: ViewerCache.Kept?
                defer { cache.finishRebuild(of: key, keeping: kept) }
                let response = try await next.respond(to: request).get()
                if let body = response.body.buffer, Self.mayKeep(response, for: request) {
                    kept = ViewerCache.Kept(
                        headers: response.headers, body: body, generation: generation, validUntil: now.addingTimeInterval(cache.lifetime),
                        sessionEnd: request.storage[SessionExpiryKey.self] ?? .distantFuture)
                }
                return response
            }
        }
    }

    /// A 200 to a signed-in person that sets no cookie other than the ones the request sent (the
    /// sessions middleware sets the session's again on every page).
    private static func mayKeep(_ response: Response, for request: Request) -> Bool {
        guard response.status == .ok, request.signedInUser != nil else { return false }
        return response.cookies.all.allSatisfy { name, value in request.cookies[name]?.string == value.string }
    }
}

private struct CachedPerViewerKey: Hashable, Sendable {}

extension Route {
    /// Marks a signed-in GET read whose answer `ViewerCache` may keep for the same request.
    @discardableResult
    func cachedPerViewer() -> Route {
        userInfo[CachedPerViewerKey()] = true
        return self
    }

    var isCachedPerViewer: Bool { userInfo[CachedPerViewerKey()] as? Bool ?? false }
}
