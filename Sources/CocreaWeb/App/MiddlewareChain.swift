import Foundation
import Vapor

/// Cocrea's own middleware, one inside the other in a single task. Vapor runs every `AsyncMiddleware`
/// it is given as a future of its own (a new task and two thread hops apiece, per request); nested here
/// they are plain async calls, in the same order and with the same effects.
struct MiddlewareChain: AsyncMiddleware {
    let stages: [any AsyncMiddleware]

    init(_ stages: [any AsyncMiddleware]) {
        self.stages = stages
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await Self.respond(to: request, through: stages[...], then: next)
    }

    /// Vapor's bridge from futures hands an async middleware its next responder as a future, so a
    /// route's own async handler would run in yet another task (two more thread hops); when the chain
    /// leads straight to that handler (a route outside any group, `/healthz`), it is called in this task.
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let end = (next as? any AsyncResponder) ?? AsyncBasicResponder { try await next.respond(to: $0).get() }
        let promise = request.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask { try await Self.respond(to: request, through: stages[...], then: end) }
        return promise.futureResult
    }

    private static func respond(
        to request: Request, through stages: ArraySlice<any AsyncMiddleware>, then next: any AsyncResponder
    ) async throws -> Response {
        guard let stage = stages.first else { return try await next.respond(to: request) }
        let rest: any AsyncResponder = AsyncBasicResponder { request in
            try await Self.respond(to: request, through: stages.dropFirst(), then: next)
        }
        return try await stage.respond(to: request, chainingTo: rest)
    }
}

/// Serves the files in `Public/` with Vapor's `FileMiddleware`, which asks the file system (a `stat` on
/// its thread pool) about every path it is given. Only the paths of the files found there at start-up
/// reach it, so the application's own routes are not delayed by that question; a path that could name
/// a file in a way other than plainly (`//`, `.` segments) is still asked about.
struct PublicFilesMiddleware: AsyncMiddleware {
    private let files: FileMiddleware
    /// The files' paths relative to the folder, e.g. `cocrea.css`.
    private let paths: Set<String>

    /// Lists the folder once, at start-up.
    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        let folder = URL(fileURLWithPath: publicDirectory).standardizedFileURL.resolvingSymlinksInPath()
        var paths = Set<String>()
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
        while let file = enumerator?.nextObject() as? URL {
            guard (try? file.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true else { continue }
            let path = file.resolvingSymlinksInPath().path
            if path.hasPrefix(folder.path + "/") { paths.insert(String(path.dropFirst(folder.path.count + 1))) }
        }
        self.paths = paths
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // What FileMiddleware refuses, refused the same way.
        guard let decoded = request.url.path.removingPercentEncoding else { throw Abort(.badRequest) }
        guard !decoded.contains("../") else { throw Abort(.forbidden) }
        let relative = decoded.drop { $0 == "/" }
        let plain = !relative.contains("//") && !relative.split(separator: "/").contains(".")
        guard !plain || paths.contains(String(relative)) else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
