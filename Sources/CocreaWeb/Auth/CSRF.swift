import CocreaCore
import CocreaStore
import Vapor

/// Synchroniser tokens: each session holds a random token that every form sends back.
extension Request {
    func csrfToken() -> String {
        if let token = session.data["csrf"] { return token }
        let token = Hashing.randomToken()
        session.data["csrf"] = token
        return token
    }

    func verifyCSRF() throws {
        let sent = (try? content.get(String.self, at: "csrf")) ?? ""
        guard hasSession, let expected = session.data["csrf"], !sent.isEmpty,
              sent.utf8.count == expected.utf8.count,
              zip(sent.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw CocreaError.csrf
        }
    }
}

extension Request {
    /// Refuses a form posted from another site. Browsers send `Sec-Fetch-Site` or `Origin` with every
    /// form; a request with neither comes from a program, which could send the same through the API.
    func verifySameOrigin() throws {
        if let site = headers.first(name: "Sec-Fetch-Site") {
            guard site == "same-origin" || site == "none" else { throw CocreaError.csrf }
            return
        }
        if let origin = headers.first(name: .origin) {
            guard let host = URL(string: origin)?.host, host == (headers.first(name: .host).flatMap { $0.split(separator: ":").first.map(String.init) }) else {
                throw CocreaError.csrf
            }
        }
    }
}

/// Marks requests served by page routes, which run behind the sessions middleware.
struct PageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        request.storage[PageKey.self] = true
        return try await next.respond(to: request)
    }
}

private struct PageKey: StorageKey {
    typealias Value = Bool
}

extension Request {
    var isPage: Bool { storage[PageKey.self] ?? false }
}
