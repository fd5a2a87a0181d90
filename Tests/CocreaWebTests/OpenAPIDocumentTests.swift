import CocreaCore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The OpenAPI document is written by hand: every API, open-data and public feed route must be in it,
/// and nothing else, and each API operation enumerates the error codes its route declaration implies.
@Suite struct OpenAPIDocumentTests {
    @Test func everyAPIRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await withCocrea(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = document["paths"] as! [String: [String: Any]]
            let methods: Set = ["get", "post", "put", "patch", "delete"]
            let documented = Set(
                paths.flatMap { path, operations in
                    operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
                })
            let registered = Set(
                app.routes.all.filter { ["api", "open-data"].contains($0.path.first?.description) || Self.isPublicFeed($0) }.map { route in
                    let path = route.path.map { component -> String in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                    return "\(route.method.rawValue) /\(path)"
                })
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but missing: \(documented.subtracting(registered).sorted())")
        }
    }

    /// A file under /public that readers subscribe to (`calendar.ics`, `feed.atom`): a contract for
    /// programs, like the API, where the other /public routes are pages for people.
    static func isPublicFeed(_ route: Route) -> Bool {
        guard route.path.first?.description == "public", case .constant(let last) = route.path.last else { return false }
        return last.contains(".")
    }

    /// From the route declarations: every request's bearer token is checked (401 `invalid_token`) and
    /// may need the database (503); every body but a GET's is read first (`RequestBodyMiddleware`: 400
    /// `invalid_body`, 408, 413); a route that needs a person answers 401 `not_authenticated`; one of
    /// an exercise answers 404 `not_found` to an outsider, and 403 `forbidden` to a member whose role
    /// lacks the permission, when some role does.
    @Test func everyOperationEnumeratesWhatItsPolicyAnswers() async throws {
        try await withCocrea(.sqlite) { app in
            let memberAccess = Role.allCases.flatMap { role in
                Sector.allCases.map { Access(isInstanceAdministrator: false, role: role, sector: $0) }
            }
            for route in app.routes.all where route.path.first?.description == "api" {
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                // An undocumented route is reported by the test above.
                guard let operation = DocumentedProblems.operations.first(where: { $0.method == route.method.rawValue && $0.path == path }) else { continue }
                var expected: [Int: Set<String>] = [401: ["invalid_token"], 503: ["database_unavailable"]]
                if route.method != .GET {
                    expected[400] = ["invalid_body"]
                    expected[408] = ["request_timeout"]
                    expected[413] = ["payload_too_large"]
                }
                switch route.policy! {
                case .open: break
                case .signedIn: expected[401]!.insert("not_authenticated")
                case .instanceAdministrator:
                    expected[401]!.insert("not_authenticated")
                    expected[403] = ["forbidden"]
                case .exercise(let permission), .sealedPlanOr(let permission):
                    expected[401]!.insert("not_authenticated")
                    expected[404] = ["not_found"]
                    if memberAccess.contains(where: { !$0.allows(permission) }) { expected[403] = ["forbidden"] }
                }
                for (status, codes) in expected {
                    let documented = operation.codes[status] ?? []
                    #expect(
                        codes.isSubset(of: documented),
                        "\(route.method) \(path) does not enumerate \(codes.subtracting(documented).sorted()) under \(status)")
                }
            }
        }
    }
}
