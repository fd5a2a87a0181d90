import CocreaCore
import CocreaStore
import CocreaUseCases
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Talks to the JSON API as one person, with their bearer token (or none).
public struct APIClient: Sendable {
    public let app: Application
    public let token: String?

    public init(app: Application, token: String?) {
        self.app = app
        self.token = token
    }

    /// Sends a request; a problem it answers must be one the OpenAPI document enumerates for the operation.
    public func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, headers extra: HTTPHeaders = [:], body: ByteBuffer? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var buffer = body
        if let json {
            headers.contentType = .json
            buffer = ByteBuffer(string: json)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
        DocumentedProblems.check(method, path, response, sourceLocation: sourceLocation)
        return response
    }
}

/// A multipart/form-data body as browsers send it: text fields, then at most one file.
public enum MultipartForm {
    public typealias File = (field: String, name: String, type: String, data: [UInt8])

    public static func encode(fields: [(String, String)] = [], file: File?) -> (HTTPHeaders, ByteBuffer) {
        encode(fields: fields, files: file.map { [$0] } ?? [])
    }

    public static func encode(fields: [(String, String)] = [], files: [File]) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "----cocrea\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n")
            body.writeBytes(file.data)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, body)
    }
}

/// A browser session: keeps cookies between requests and reads the CSRF token off the pages.
public final class Browser: @unchecked Sendable {
    public let app: Application
    private var cookies: [String: String] = [:]
    public private(set) var csrf = ""

    public init(app: Application) {
        self.app = app
    }

    /// A cookie this browser holds, to copy it to another or plant one as an attacker would.
    public subscript(cookie name: String) -> String? {
        get { cookies[name] }
        set { cookies[name] = newValue }
    }

    @discardableResult
    public func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: extra, body: nil)
    }

    /// Posts a URL-encoded form; the CSRF token read from the last page is added unless given.
    @discardableResult
    public func post(_ path: String, form: [(String, String)], includeCSRF: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if includeCSRF && !fields.contains(where: { $0.0 == "csrf" }) { fields.append(("csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Posts multipart/form-data with one optional file part.
    @discardableResult
    public func postMultipart(_ path: String, fields form: [(String, String)], file: MultipartForm.File?) async throws -> TestingHTTPResponse {
        try await postMultipart(path, fields: form, files: file.map { [$0] } ?? [])
    }

    @discardableResult
    public func postMultipart(_ path: String, fields form: [(String, String)], files: [MultipartForm.File]) async throws -> TestingHTTPResponse {
        let (headers, body) = MultipartForm.encode(fields: form + [("csrf", csrf)], files: files)
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// Signs in with a password through the real form.
    public func signIn(email: String, password: String) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", form: [("email", email), ("password", password)])
    }

    private func send(_ method: HTTPMethod, _ path: String, headers extra: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { cookies[String(parts[0])] = String(parts[1]) }
        }
        let html = response.body.string
        if let range = html.range(of: "name=\"csrf\" value=\"") {
            let rest = html[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
        return response
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension JSONDecoder {
    /// Reads the API's JSON: instants are RFC 3339 strings.
    public static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
