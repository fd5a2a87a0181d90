import CocreaCore
import Foundation
import Vapor

/// Serves the files in `Public/` with Vapor's `FileMiddleware`, which asks the file system (a `stat` on
/// its thread pool) about every path it is given. Only the paths of the files found there at start-up
/// reach it, so the application's own routes are not delayed by that question; a path that could name
/// a file in a way other than plainly (`//`, `.` segments) is still asked about. A request a route
/// answers is not a file's: no file of the folder has a route's path (`PublicFilesTests` checks), so such
/// a request does not read its path here (Vapor's `URI.path` rewrites the string at every call).
struct PublicFilesMiddleware: Middleware {
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

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.route == nil else { return next.respond(to: request) }
        // What FileMiddleware refuses, refused the same way.
        let path = request.url.path
        guard let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding : path else {
            return request.eventLoop.makeFailedFuture(Abort(.badRequest))
        }
        let relative = decoded.drop { $0 == "/" }
        let shape = PublicPath(reading: relative)
        guard !shape.climbs else { return request.eventLoop.makeFailedFuture(Abort(.forbidden)) }
        guard !shape.plain || paths.contains(String(relative)) else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
