import CocreaCore
import CocreaTestSupport
@testable import CocreaWeb
import Foundation
import Testing
import Vapor

/// One catalogue of errors: every code is an `ErrorCode` with its status, and the OpenAPI document
/// enumerates, per operation, the codes it answers.
/// What each operation answers at run time is checked by every API test (`DocumentedProblems`, through
/// `APIClient`); these tests hold the catalogue, the route declarations and the document together.
@Suite struct ErrorCatalogueTests {
    /// The codes the JSON API never answers, and why; every other code is enumerated by an operation.
    static let notAnsweredByTheAPI: [ErrorCode: String] = [
        .internalError: "a 500 is a defect, and the document promises none",
        .badRequest: "Vapor's own answer to a 4xx that no route throws",
        .methodNotAllowed: "Vapor's own; its router answers an unknown method with 404",
        .invalidCredentials: "the sign-in page", .tooManyAttempts: "the sign-in page", .linkExpired: "the sign-in link",
        .csrfFailed: "pages only: the API takes no cookies", .minutesNotReady: "the console page",
        .deliveryNotRetryable: "the outbox page", .metricsForbidden: "/metrics, outside /api",
        .invalidConfiguration: "start-up", .resourcesMissing: "start-up", .catalogueMissing: "start-up",
        .dataDirectoryUnwritable: "start-up", .dataDirectoryInUse: "start-up",
        .backupUnsupported: "cocrea backup", .backupExists: "cocrea backup", .backupCorrupt: "cocrea restore",
        .backupNotCocrea: "cocrea restore", .restoreUnsupported: "cocrea restore", .restoreFailed: "cocrea restore",
        .noSealedPlan: "cocrea bench seed",
    ]

    /// The statuses a code takes besides its own, as their catalogue entries set them.
    static func mayBeAnswered(_ code: ErrorCode, with status: Int) -> Bool {
        switch code {
        case .notSealed: status == 404 || status == code.status
        case .requestFileInvalid: status == 413 || status == code.status
        case .badRequest: (400..<500).contains(status)
        default: status == code.status
        }
    }

    @Test func everyCodeTheAPIAnswersIsEnumeratedByAnOperationAndNoOther() {
        let enumerated = Set(DocumentedProblems.operations.flatMap { $0.codes.values.joined() })
        let catalogued = Set(ErrorCode.allCases.map(\.rawValue))
        let answered = catalogued.subtracting(Self.notAnsweredByTheAPI.keys.map(\.rawValue))
        #expect(answered.subtracting(enumerated).isEmpty, "never enumerated: \(answered.subtracting(enumerated).sorted())")
        #expect(enumerated.subtracting(catalogued).isEmpty, "not in the catalogue: \(enumerated.subtracting(catalogued).sorted())")
        let apiOnly = enumerated.intersection(Self.notAnsweredByTheAPI.keys.map(\.rawValue))
        #expect(apiOnly.isEmpty, "enumerated, yet listed as never answered by the API: \(apiOnly.sorted())")
    }

    @Test func everyEnumeratedCodeIsUnderItsOwnStatus() {
        for operation in DocumentedProblems.operations {
            for (status, codes) in operation.codes {
                for code in codes {
                    let known = ErrorCode(rawValue: code)
                    #expect(known.map { Self.mayBeAnswered($0, with: status) } == true,
                            "\(operation.method) \(operation.path) enumerates «\(code)» under \(status)")
                }
            }
        }
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
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                let operation = try #require(DocumentedProblems.operations.first { $0.method == route.method.rawValue && $0.path == path },
                                             "\(route.method) \(path) is not in the OpenAPI document")
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
                    #expect(codes.isSubset(of: documented),
                            "\(route.method) \(path) does not enumerate \(codes.subtracting(documented).sorted()) under \(status)")
                }
            }
        }
    }
}
