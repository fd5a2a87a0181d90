import CocreaCore
import CocreaTestSupport
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The files of `Public/` are served; a path that could name one in another way (percent-encoded, with
/// `.` segments or `//`) is still asked about, and one that climbs out of the folder is refused.
@Suite struct PublicFilesTests {
    /// The one-pass reading of a path agrees with the plain definition: `../` anywhere climbs; a `//` or a
    /// `.` segment makes it not plain.
    @Test(arguments: [
        "kiosk.js", "cocrea.css", "exercises/3f2a9c1e/plan", "plan/", ".", "..", "./kiosk.js", "css/./cocrea.css", "css/.",
        "css//cocrea.css", "css/../../etc/passwd", "../etc/passwd", "informe..final/anexo", "anexo../x", "a/..", "",
    ])
    func aPathIsReadInOnePassAsThePlainDefinitionReadsIt(relative: String) {
        let shape = PublicPath(reading: Substring(relative))
        #expect(shape.climbs == relative.contains("../"))
        #expect(shape.plain == (!relative.contains("//") && !relative.split(separator: "/").contains(".")))
    }

    @Test func filesAreServedAndAPathOutOfTheFolderIsRefused() async throws {
        try await withCocrea(.sqlite) { app in
            let client = try app.testing()
            #expect(try await client.sendRequest(.GET, "/kiosk.js").status == .ok)
            #expect(try await client.sendRequest(.GET, "/%6Biosk.js").status == .ok, "a percent-encoded name is asked about")
            #expect(try await client.sendRequest(.GET, "/css/%2E%2E/kiosk.js").status == .forbidden)
            #expect(try await client.sendRequest(.GET, "/no-existe.js").status == .notFound)
        }
    }

    /// A request a route answers is never looked up among the files, so no file may share a route's path.
    @Test func noPublicFileHasThePathOfARoute() async throws {
        try await withCocrea(.sqlite) { app in
            let folder = URL(fileURLWithPath: app.directory.publicDirectory)
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            #expect(!files.isEmpty)
            for file in files {
                #expect(!app.routes.all.contains { Self.matches($0.path, file) }, "a route takes «\(file)», a file of Public/")
            }
        }
    }

    /// Whether a route's pattern takes the path, as the router reads it (a parameter takes any segment).
    private static func matches(_ pattern: [PathComponent], _ path: String) -> Bool {
        let segments = path.split(separator: "/")
        if pattern.last == .catchall { return segments.count >= pattern.count - 1 && zip(pattern, segments).allSatisfy { matches($0, $1) } }
        return segments.count == pattern.count && zip(pattern, segments).allSatisfy { matches($0, $1) }
    }

    private static func matches(_ component: PathComponent, _ segment: Substring) -> Bool {
        switch component {
        case .constant(let constant): constant == segment
        case .parameter, .anything, .catchall: true
        }
    }

    @Test func aRoutedRequestThatLooksLikeAClimbGoesToItsRouteNotTheFiles() async throws {
        try await withCocrea(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/exercises/%2E%2E")
            #expect(response.status == .unauthorized, "the route's policy answers, not the files (403)")
            #expect(response.headers.contentType?.subType == "problem+json")
        }
    }
}
