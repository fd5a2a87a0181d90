import CocreaCore
import CocreaTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Outside /api no bearer token is read and an error is the HTML error page, not problem+json: the open
/// data and the public feeds answer an unknown exercise that way, with the code the page carries in
/// `data-code` among the ones the OpenAPI document enumerates, and the document says so.
@Suite struct OutsideAPIErrorTests {
    @Test func openDataAndTheCalendarAnswerAnUnknownExerciseWithTheHTMLErrorPageTheDocumentDescribes() async throws {
        try await withCocrea(.sqlite) { app in
            let unknown = UUID().uuidString.lowercased()
            let anyone = APIClient(app: app, token: nil)
            for (path, code) in [
                ("/open-data/\(unknown)/roadmap.csv", "not_public"), ("/open-data/\(unknown)/datapackage.json", "not_public"),
                ("/open-data/no-es-un-uuid/roadmap.csv", "not_found"), ("/public/exercises/\(unknown)/calendar.ics", "not_found"),
            ] {
                let response = try await anyone.send(.GET, path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers.contentType?.type == "text" && response.headers.contentType?.subType == "html", "\(path)")
                #expect(response.body.string.contains("data-code=\"\(code)\""), "\(path) answers \(code)")
                let documented = try #require(DocumentedProblems.operation(.GET, path), "\(path) is documented")
                #expect(documented.codes[404]?.contains(code) == true, "\(documented.path) enumerates \(code) under 404")
            }
        }
    }

    @Test func theDocumentSaysOnlyTheAPIAnswersProblemJSON() throws {
        let url = URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Resources/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let description = try #require((document["info"] as? [String: Any])?["description"] as? String)
        #expect(description.contains("bajo /api los errores se responden como `application/problem+json`"), "problem+json only under /api")
        #expect(description.contains("Fuera de /api (los datos abiertos en /open-data y los archivos públicos de /public"))
        #expect(description.contains("la página de error en HTML") && description.contains("`data-code`"), "where the code is outside /api")
    }
}
