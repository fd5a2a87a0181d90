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
}
