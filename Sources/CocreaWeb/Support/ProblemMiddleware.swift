import AsyncKit
import CocreaCore
import PostgresNIO
import SQLiteNIO
import Vapor

/// Turns every error into what the client understands: RFC 9457 problem+json under /api, an error
/// page elsewhere, both in the request's language. Internal errors are logged whole and shown to nobody.
/// An answer passes through as a future, without a task; only an error starts one, to render its page.
struct ProblemMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await Self.response(to: error, for: request) }
        }
    }

    static func response(to error: any Error, for request: Request) async throws -> Response {
        let problem = Self.problem(for: error)
        let status = Self.status(of: problem, answering: error)
        if status >= 500 {
            request.logger.error("request.failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.redactedPath)"])
        }
        let response = request.isAPI ? try Self.problemResponse(problem, status: status, words: request.words) : try await Page.error(problem, on: request)
        if !request.isAPI, status != problem.status { response.status = HTTPResponseStatus(statusCode: status) }
        if case .int(let seconds) = problem.facts["retryAfter"] {
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(seconds)")
        }
        return response
    }

    /// The status of the problem's kind, except for a 4xx Vapor answered itself, whose status is kept.
    static func status(of problem: CocreaError, answering error: any Error) -> Int {
        if problem.code == ErrorCode.badRequest.rawValue, let abort = error as? any AbortError { return Int(abort.status.code) }
        return problem.status
    }

    static func problemResponse(_ problem: CocreaError, status: Int, words: Words) throws -> Response {
        var body: [String: ProblemValue] = [
            "type": .string("about:blank"),
            "title": .string(HTTPResponseStatus(statusCode: status).reasonPhrase),
            "status": .int(status),
            "code": .string(problem.code),
            "detail": .string(problem.message(words)),
        ]
        if !problem.fieldErrors.isEmpty { body["errors"] = .fields(problem.fieldErrors.map { $0.written(in: words) }) }
        for (key, fact) in problem.facts {
            switch fact {
            case .string(let value): body[key] = .string(value)
            case .strings(let values): body[key] = .strings(values)
            case .int(let value): body[key] = .int(value)
            case .null: body[key] = .null
            case .value(let value): body[key] = .value(value)
            }
        }
        let response = Response(status: HTTPResponseStatus(statusCode: status))
        // The facts' messages (a plan's problems…) in the request's language, as the detail is.
        try response.content.encode(body, using: JSONEncoder.custom(dates: .iso8601, userInfo: [.words: words]))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        return response
    }

    static func problem(for error: any Error) -> CocreaError {
        switch error {
        case let error as CocreaError:
            return error
        case let error as DecodingError:
            return describe(error)
        case let abort as any AbortError:
            return problem(forStatus: abort.status, reason: abort.reason)
        case _ where databaseIsUnavailable(error):
            return .databaseUnavailable
        case _ where String(reflecting: type(of: error)).hasPrefix("MultipartKit."):
            // A malformed multipart/form-data body (MultipartKit's parser errors are internal types).
            return .invalidBody("bodyMultipartInvalid")
        default:
            return CocreaError.internalError
        }
    }

    /// The database is restarting, unreachable or busy past its timeout: the request may be sent
    /// again in a moment, which is what a 503 with `Retry-After` says (a 500 would say Cocrea is broken).
    static func databaseIsUnavailable(_ error: any Error) -> Bool {
        switch error {
        case is ConnectionPoolTimeoutError, is ConnectionPoolError:
            return true
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            case .server:
                // Class 08: connection exception; class 57: operator intervention (shutdown, starting up).
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57")
            default:
                return false
            }
        case let error as SQLiteError:
            return [.busy, .locked].contains(error.reason)
        default:
            return false
        }
    }

    private static func problem(forStatus status: HTTPResponseStatus, reason: String) -> CocreaError {
        switch status.code {
        case 404: return CocreaError.routeNotFound
        case 405: return CocreaError.methodNotAllowed
        case 413: return CocreaError.payloadTooLarge
        case 415: return CocreaError.unsupportedMediaType
        case 400..<500: return CocreaError.badRequest
        default: return CocreaError.internalError
        }
    }

    /// What of a JSON body could not be read, by its path («indicator.target», or the body as a whole).
    private static func describe(_ error: DecodingError) -> CocreaError {
        switch error {
        case .keyNotFound(let key, let context):
            return context.codingPath.isEmpty
                ? .invalidBody("bodyFieldMissing", ["field": .text(key.stringValue)])
                : .invalidBody("bodyFieldMissingIn", at: context.codingPath, ["field": .text(key.stringValue)])
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .invalidBody("bodyWrongType", at: context.codingPath)
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? .invalidBody("bodyNotJSON") : .invalidBody("bodyValueUnreadable", at: context.codingPath, ["reason": .text(context.debugDescription)])
        @unknown default:
            return .invalidBody("bodyInvalid")
        }
    }
}

private enum ProblemValue: Encodable {
    case string(String), strings([String]), int(Int), fields([FieldError]), null, value(any Encodable & Sendable)

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .strings(let values): try container.encode(values)
        case .int(let value): try container.encode(value)
        case .fields(let values): try container.encode(values)
        case .null: try container.encodeNil()
        case .value(let value): try container.encode(value)
        }
    }
}

extension Request {
    /// Under `/api`: answered in JSON and signed in by bearer token. The matched route says so without
    /// reading the path (Vapor's `URI.path` rewrites the string at every call); a request no route
    /// answers is judged by its first segment, as the router reads it.
    var isAPI: Bool {
        if let route { return route.path.first == .constant("api") }
        return url.path.split(separator: "/", maxSplits: 1).first == "api"
    }
}
