import CocreaCore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// One catalogue of errors: every code is an `ErrorCode` with its kind (a status at the web edge), every error is built in
/// `ErrorCatalogue.swift`, and the OpenAPI document enumerates, per operation, the codes it answers.
/// These tests hold the catalogue and the document together; `OpenAPIDocumentTests` checks what each
/// route declaration implies, and every API test, through `APIClient` (`DocumentedProblems`), that the
/// problems it meets are enumerated for their operation.
@Suite struct ErrorCatalogueTests {
    /// The codes the JSON API never answers, and why; every other code is enumerated by an operation.
    static let notAnsweredByTheAPI: [ErrorCode: String] = [
        .internalError: "a 500 is a defect, and the document promises none",
        .badRequest: "Vapor's own answer to a 4xx that no route throws",
        .methodNotAllowed: "Vapor's own; its router answers an unknown method with 404",
        .invalidCredentials: "the sign-in page", .tooManyAttempts: "the sign-in page",
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

    static let sources = URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Sources")

    /// No error is built from a code and a message outside the catalogue, and no code is compared as a
    /// string: a code written twice could drift from the one the catalogue answers.
    @Test func everyErrorIsBuiltInTheCatalogueAndEveryCodeNamedThroughIt() throws {
        let outside = try NSRegularExpression(pattern: #"CocreaError\(\s*kind:|\.code\s*[!=]=\s*""#)
        var found: [String] = []
        for case let file as URL in FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in outside.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let line = text[..<Range(match.range, in: text)!.lowerBound].filter { $0 == "\n" }.count + 1
                found.append("\(file.path.dropFirst(Self.sources.path.count + 1)):\(line)")
            }
        }
        #expect(found.isEmpty, "an error or a code written outside ErrorCatalogue.swift (name its entry or ErrorCode instead): \(found)")
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

    @Test func everyErrorResponseEnumeratesItsCodes() {
        for operation in DocumentedProblems.operations {
            for (status, codes) in operation.codes where status >= 400 {
                #expect(!codes.isEmpty, "\(operation.method) \(operation.path) answers \(status) without an enum on its code")
            }
        }
    }

    @Test func everyEnumeratedCodeIsUnderItsOwnStatus() {
        for operation in DocumentedProblems.operations {
            for (status, codes) in operation.codes {
                for code in codes {
                    let known = ErrorCode(rawValue: code)
                    #expect(
                        known.map { Self.mayBeAnswered($0, with: status) } == true,
                        "\(operation.method) \(operation.path) enumerates «\(code)» under \(status)")
                }
            }
        }
    }
}
