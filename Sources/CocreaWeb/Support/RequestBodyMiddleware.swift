import CocreaCore
import CocreaStore
import CocreaUseCases
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads every request body before any handler does, within the route's own limit and a time limit,
/// and checks multipart/form-data bodies so that MultipartKit never traps on them (see `MultipartGuard`).
/// A body over the route's limit is refused while it arrives (413), one that has not arrived in
/// `deadline` is refused with 408, and a body for no route is not read at all.
///
/// Uploads (routes whose limit exceeds the default) are written to a file in the spool directory as
/// they arrive, so a slow one holds a chunk of memory, not its body; only once the whole body is on
/// disk is it read into memory for its handler, a few at a time (see `UploadSlots`).
struct RequestBodyMiddleware: Middleware {
    /// Enough for 21 MB at under 2 Mbit/s; a client slower than that holds the connection for nothing.
    /// `Application.requestBodyDeadline` may give more.
    static let deadline = TimeAmount.seconds(120)

    /// A GET, a HEAD or a request for no route has no body to read: it passes on at once, without the
    /// task Vapor would start for an async middleware.
    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let route = req.route, req.method != .GET, req.method != .HEAD else { return next.respond(to: req) }
        let rest = AsyncBasicResponder { try await next.respond(to: $0).get() }
        return req.eventLoop.makeFutureWithTask { try await read(req, for: route, then: rest) }
    }

    private func read(_ req: Request, for route: Route, then next: any AsyncResponder) async throws -> Response {
        var boundary: String?
        if req.headers.contentType?.type == "multipart" {
            guard let declared = req.headers.contentType?.parameters["boundary"], MultipartGuard.isValidBoundary(declared) else {
                throw CocreaError.invalidBody("bodyBoundaryMissing")
            }
            boundary = declared
        }
        let limit = route.maximumBodyBytes ?? req.application.routes.defaultMaxBodySize.value
        let declaredLength = req.headers.first(name: .contentLength).flatMap { Int($0) }
        // A body that announces it is too large is refused before any of it is read.
        guard (declaredLength ?? 0) <= limit else { throw Abort(.payloadTooLarge) }

        let slots = req.application.uploadSlots
        let isUpload = limit > req.application.routes.defaultMaxBodySize.value
        if let body = req.body.data {
            // It arrived whole with its head (a small body, HTTP/2, tests): there is nothing to spool.
            try Self.check(body, limit: limit, boundary: boundary)
            return isUpload ? try await slots.whileDecoding { try await next.respond(to: req) } : try await next.respond(to: req)
        }
        guard isUpload else {
            let body = try await Self.collect(req, max: limit)
            try Self.check(body, limit: limit, boundary: boundary)
            return try await next.respond(to: req)
        }

        let client = req.clientAddress
        guard slots.acquire(client) else { throw CocreaError.uploadsBusy }
        let file = req.application.spoolDirectory.newFile()
        do {
            let received = try await BodySpooler.receive(req, into: file, max: limit)
            // A client that goes away mid-upload ends the body early; what came is not the form it sent.
            if let declaredLength, received < declaredLength {
                throw CocreaError.invalidBody("bodyIncomplete")
            }
            let response = try await slots.whileDecoding {
                let body = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(file)) { handle in
                    try await handle.readToEnd(maximumSizeAllowed: .bytes(Int64(limit)))
                }
                try Self.check(body, limit: limit, boundary: boundary)
                let forwarded = Self.request(req, withBody: body)
                // Sessions, the signed-in user and form cookies are kept on the copy's storage; the
                // middleware before this one (the error page) reads them from the original.
                defer { req.storage = forwarded.storage }
                return try await next.respond(to: forwarded)
            }
            await Self.remove(file)
            slots.release(client)
            return response
        } catch {
            await Self.remove(file)
            slots.release(client)
            throw error
        }
    }

    /// A body within its limit, and for multipart/form-data one MultipartKit can read without trapping.
    private static func check(_ body: ByteBuffer?, limit: Int, boundary: String?) throws {
        guard let body else { return }
        guard body.readableBytes <= limit else { throw Abort(.payloadTooLarge) }
        if let boundary, !body.withUnsafeReadableBytes({ MultipartGuard.partHeaderNamesAreASCII($0, boundary: boundary) }) {
            throw CocreaError.invalidBody("bodyPartHeaderInvalid")
        }
    }

    /// The request again, with its body in memory. Vapor keeps how a request holds its body to itself,
    /// so the spooled body reaches the handlers (their `content.decode`, the CSRF check) on a copy that
    /// carries the route, parameters, storage and id of the original.
    private static func request(_ req: Request, withBody body: ByteBuffer) -> Request {
        var headers = req.headers
        headers.replaceOrAdd(name: .xRequestId, value: req.id)
        let copy = Request(
            application: req.application, method: req.method, url: req.url, version: req.version, headers: headers,
            collectedBody: body, remoteAddress: req.remoteAddress, logger: req.logger,
            byteBufferAllocator: req.byteBufferAllocator, on: req.eventLoop)
        copy.route = req.route
        copy.parameters = req.parameters
        copy.storage = req.storage
        copy.serviceContext = req.serviceContext
        return copy
    }

    private static func remove(_ path: String) async {
        _ = try? await FileSystem.shared.removeItem(at: FilePath(path), strategy: .platformDefault, recursively: false)
    }

    private static func collect(_ req: Request, max limit: Int) async throws -> ByteBuffer? {
        let promise = req.eventLoop.makePromise(of: ByteBuffer?.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Result<ByteBuffer?, any Error>) -> Void = { result in
            guard
                settled.withLockedValue({ done in
                    defer { done = true }
                    return !done
                })
            else { return }
            promise.completeWith(result)
        }
        let timeout = req.eventLoop.scheduleTask(in: req.application.requestBodyDeadline) {
            settle(.failure(CocreaError.requestTimeout))
        }
        req.body.collect(max: limit).whenComplete { result in
            timeout.cancel()
            settle(result)
        }
        return try await promise.futureResult.get()
    }
}

/// Writes one request body into a file as it arrives, within a size and a time limit. The connection
/// is not read again until a chunk is written (Vapor waits for the future `drain` is handed), so a
/// chunk is all a slow upload holds in memory.
private final class BodySpooler: @unchecked Sendable {
    // Everything mutable is touched on `eventLoop` only.
    private let eventLoop: any EventLoop
    private let file: WriteFileHandle
    private let limit: Int
    private let outcome: EventLoopPromise<Int>
    private var received = 0
    private var settled = false
    private var lastWrite: EventLoopFuture<Void>

    private let deadline: TimeAmount

    private init(eventLoop: any EventLoop, file: WriteFileHandle, limit: Int, deadline: TimeAmount) {
        self.eventLoop = eventLoop
        self.file = file
        self.limit = limit
        self.deadline = deadline
        self.outcome = eventLoop.makePromise()
        self.lastWrite = eventLoop.makeSucceededVoidFuture()
    }

    /// The number of bytes received, once the body has ended and is all in the file at `path` (created
    /// here, readable by this user only).
    static func receive(_ req: Request, into path: String, max limit: Int) async throws -> Int {
        let options = OpenOptions.Write(
            existingFile: .none, newFile: .init(permissions: .ownerReadWrite, transactionalCreation: false),
            closeOnExec: true)
        let file = try await FileSystem.shared.openFile(forWritingAt: FilePath(path), options: options)
        let spooler = BodySpooler(eventLoop: req.eventLoop, file: file, limit: limit, deadline: req.application.requestBodyDeadline)
        let received: Result<Int, any Error>
        do {
            received = .success(try await req.eventLoop.flatSubmit { spooler.start(req.body) }.get())
        } catch {
            received = .failure(error)
        }
        // A write may still be under way when the deadline or the limit ends the body; the file is
        // closed after it, never under it.
        _ = try? await req.eventLoop.flatSubmit { spooler.lastWrite }.get()
        try? await file.close(makeChangesVisible: true)
        return try received.get()
    }

    private func start(_ body: Request.Body) -> EventLoopFuture<Int> {
        let timeout = eventLoop.scheduleTask(in: deadline) {
            self.settle(.failure(CocreaError.requestTimeout))
        }
        outcome.futureResult.whenComplete { _ in timeout.cancel() }
        body.drain { part in self.take(part) }
        return outcome.futureResult
    }

    private func take(_ part: BodyStreamResult) -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        // A failed future makes Vapor stop reading the connection: nothing more is taken.
        guard !settled else { return eventLoop.makeFailedFuture(CocreaError.requestTimeout) }
        switch part {
        case .buffer(let chunk):
            let offset = Int64(received)
            received += chunk.readableBytes
            guard received <= limit else {
                settle(.failure(Abort(.payloadTooLarge)))
                return eventLoop.makeFailedFuture(Abort(.payloadTooLarge))
            }
            let write = eventLoop.makeFutureWithTask { [file] in
                _ = try await file.write(contentsOf: chunk, toAbsoluteOffset: offset)
            }
            lastWrite = write
            write.whenFailure { self.settle(.failure($0)) }
            return write
        case .error(let error):
            settle(.failure(error))
        case .end:
            settle(.success(received))
        }
        return eventLoop.makeSucceededVoidFuture()
    }

    private func settle(_ result: Result<Int, any Error>) {
        eventLoop.preconditionInEventLoop()
        guard !settled else { return }
        settled = true
        outcome.completeWith(result)
    }
}

/// What uploads may take at once. Receiving costs a file in the spool directory and a chunk of
/// memory: `receiving` in all (with 21 MB each, that bounds the disk they take) and `perClient`
/// from one address, which cannot fill the disk. Once on disk, a body is read into memory for its
/// handler: `decoding` at once bound that memory, and the others wait their turn (they have already
/// arrived), first come, first served.
final class UploadSlots: Sendable {
    static let receiving = 32
    static let perClient = 2
    static let decoding = 4

    private let receipts = NIOLockedValueBox((inUse: 0, byClient: [String: Int]()))
    private let decoders = NIOLockedValueBox((free: UploadSlots.decoding, waiting: [CheckedContinuation<Void, Never>]()))

    func acquire(_ client: String) -> Bool {
        receipts.withLockedValue { state in
            guard state.inUse < Self.receiving, state.byClient[client, default: 0] < Self.perClient else { return false }
            state.inUse += 1
            state.byClient[client, default: 0] += 1
            return true
        }
    }

    func release(_ client: String) {
        receipts.withLockedValue { state in
            state.inUse -= 1
            state.byClient[client, default: 1] -= 1
            if state.byClient[client] == 0 { state.byClient[client] = nil }
        }
    }

    /// Runs `body` holding one of the `decoding` slots, waiting for one if need be.
    func whileDecoding<Result>(_ body: () async throws -> Result) async throws -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = decoders.withLockedValue { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if now { continuation.resume() }
        }
        defer {
            let next = decoders.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                guard state.waiting.isEmpty else { return state.waiting.removeFirst() }
                state.free += 1
                return nil
            }
            next?.resume()
        }
        return try await body()
    }

    /// Uploads being received and decoded now.
    var inUse: (receiving: Int, decoding: Int) {
        (receipts.withLockedValue { $0.inUse }, Self.decoding - decoders.withLockedValue { $0.free })
    }
}

/// This server's own folder of upload bodies, `uploads/<id>` under the data directory: it holds a lock
/// on it for its whole life, so at start-up a folder whose lock is free is one a stopped server left
/// behind (files of uploads cut short by a crash), and is removed. Folders and files are this user's only.
/// Set up by `configure`, removed at shutdown.
final class SpoolDirectory: Sendable {
    let path: String
    private let lock: DataDirectoryLock

    /// `uploads` beside the SQLite file or the signing key (the data directory), else in the system's
    /// temporary folder.
    static func parent(for options: CocreaOptions) -> String {
        if case .sqlite(let path) = options.location {
            return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("uploads")
        }
        if case .directory(let signing) = options.signing {
            return ((signing as NSString).deletingLastPathComponent as NSString).appendingPathComponent("uploads")
        }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("cocrea-uploads")
    }

    /// Blocking file system work, done once at start-up.
    init(in parent: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in (try? files.contentsOfDirectory(atPath: parent)) ?? [] {
            let folder = (parent as NSString).appendingPathComponent(name)
            if Self.isAbandoned(folder) { try? files.removeItem(atPath: folder) }
        }
        path = (parent as NSString).appendingPathComponent(UUID().uuidString)
        lock = try DataDirectoryLock.acquire(directory: path, purpose: "")
        _ = chmod(path, 0o700)
    }

    /// A new file name in the folder.
    func newFile() -> String {
        (path as NSString).appendingPathComponent(UUID().uuidString + ".upload")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        lock.release()
    }

    /// Whether no server holds the folder's lock. A lock file without a process id in it is one being
    /// taken right now (the id is written once the lock is held), so that folder is left alone.
    private static func isAbandoned(_ folder: String) -> Bool {
        let descriptor = open((folder as NSString).appendingPathComponent(DataDirectoryLock.fileName), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var first: UInt8 = 0
        guard pread(descriptor, &first, 1, 0) == 1 else { return false }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }
}

struct UploadSlotsKey: StorageKey {
    typealias Value = UploadSlots
}

struct SpoolDirectoryKey: StorageKey {
    typealias Value = SpoolDirectory
}

extension Application {
    var uploadSlots: UploadSlots {
        guard let slots = storage[UploadSlotsKey.self] else { fatalError("configure(_:options:) has not run") }
        return slots
    }

    var spoolDirectory: SpoolDirectory {
        guard let directory = storage[SpoolDirectoryKey.self] else { fatalError("configure(_:options:) has not run") }
        return directory
    }

    /// Sets up this server's spool directory (see `SpoolDirectory`), removed when the application shuts down.
    func setUpSpoolDirectory(options: CocreaOptions) throws {
        storage.set(SpoolDirectoryKey.self, to: try SpoolDirectory(in: SpoolDirectory.parent(for: options))) { $0.remove() }
    }
}

extension Application {
    private struct RequestBodyDeadlineKey: StorageKey {
        typealias Value = TimeAmount
    }

    /// How long a request body may take to arrive (`RequestBodyMiddleware.deadline`). Tests that send a
    /// body of tens of megabytes while hundreds of others share two cores give it more, so that what
    /// they check (the size limit) is not decided by the clock.
    var requestBodyDeadline: TimeAmount {
        get { storage[RequestBodyDeadlineKey.self] ?? RequestBodyMiddleware.deadline }
        set { storage[RequestBodyDeadlineKey.self] = newValue }
    }
}
