import Foundation
import Testing
import Vapor
import VaporTesting

/// The error codes the hand-written OpenAPI document enumerates for each operation, by status. Every
/// problem the API answers through `APIClient` is checked against it, so each test that drives the API
/// into a refusal also proves the refusal is documented for that operation.
public enum DocumentedProblems {
    public struct Operation: Sendable {
        public let method: String
        public let path: String
        /// The codes each documented status enumerates (empty for a status that is not a problem).
        public let codes: [Int: Set<String>]

        func matches(_ segments: [Substring]) -> Int? {
            let template = path.split(separator: "/")
            guard template.count == segments.count else { return nil }
            var literal = 0
            for (expected, actual) in zip(template, segments) {
                if expected.hasPrefix("{") { continue }
                guard expected == actual else { return nil }
                literal += 1
            }
            return literal
        }
    }

    public static let operations: [Operation] = {
        let url = URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Resources/openapi.json")
        let document = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let components = (document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]] ?? [:]
        let paths = document["paths"] as! [String: [String: Any]]
        return paths.flatMap { path, item in
            item.compactMap { method, value -> Operation? in
                guard let operation = value as? [String: Any], let responses = operation["responses"] as? [String: [String: Any]] else { return nil }
                var codes: [Int: Set<String>] = [:]
                for (status, response) in responses {
                    guard let status = Int(status) else { continue }
                    let resolved = (response["$ref"] as? String).flatMap { components[String($0.split(separator: "/").last!)] } ?? response
                    codes[status] = enumeratedCodes(resolved)
                }
                return Operation(method: method.uppercased(), path: path, codes: codes)
            }
        }
    }()

    /// The `enum` on `code` of a problem response's schema (`allOf: [Problem…, {properties: {code: {enum}}}]`),
    /// or, for an error page outside /api (the public feeds), which has no problem body, its `x-error-codes`.
    static func enumeratedCodes(_ response: [String: Any]) -> Set<String> {
        let content = response["content"] as? [String: Any]
        let schema = (content?["application/problem+json"] as? [String: Any])?["schema"] as? [String: Any]
        let parts = schema?["allOf"] as? [[String: Any]] ?? []
        let values = parts.compactMap { (($0["properties"] as? [String: Any])?["code"] as? [String: Any])?["enum"] as? [String] }
        return Set(values.joined()).union(response["x-error-codes"] as? [String] ?? [])
    }

    /// The documented operation a request reaches: the template with the most literal segments.
    public static func operation(_ method: HTTPMethod, _ path: String) -> Operation? {
        let segments = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/")
        return operations.filter { $0.method == method.rawValue }
            .compactMap { operation in operation.matches(segments).map { (operation, $0) } }
            .max { $0.1 < $1.1 }?.0
    }

    /// Records an issue when an API problem's status or code is not what the document enumerates for
    /// the operation. A path no operation matches is Vapor's own 404 and has nothing to check; a 500 is
    /// a defect, which the test that met it reports.
    public static func check(
        _ method: HTTPMethod, _ path: String, _ response: TestingHTTPResponse,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard path.hasPrefix("/api/"), response.status.code >= 400, response.status != .internalServerError,
            response.headers.contentType?.subType == "problem+json",
            let operation = operation(method, path)
        else { return }
        let code = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["code"] as? String ?? ""
        let answer = "\(method.rawValue) \(operation.path) answered \(response.status.code) «\(code)»"
        guard let documented = operation.codes[Int(response.status.code)] else {
            Issue.record("\(answer), a status the OpenAPI document does not list for it", sourceLocation: sourceLocation)
            return
        }
        if !documented.contains(code) {
            Issue.record("\(answer), which its OpenAPI response does not enumerate (\(documented.sorted()))", sourceLocation: sourceLocation)
        }
    }
}
