import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Synchroniser tokens: a signed-in session holds a random token that every form sends back. A
/// visitor who is not signed in (the sign-in and verification forms) gets the token in a cookie of
/// its own instead (double submit), so that looking at a page never stores a session.
extension Request {
    static let formCookieName = "cocrea_form"

    func csrfToken() -> String {
        if hasSession, let token = session.data["csrf"] { return token }
        if hasSession, session.data["userID"] != nil {
            let token = Hashing.randomToken()
            session.data["csrf"] = token
            return token
        }
        if let token = storage[FormCookieKey.self] ?? cookies[Self.formCookieName]?.string, !token.isEmpty { return token }
        let token = Hashing.randomToken()
        storage[FormCookieKey.self] = token
        return token
    }

    func verifyCSRF() throws {
        let sent = (try? content.get(String.self, at: "csrf")) ?? ""
        let expected = (hasSession ? session.data["csrf"] : nil) ?? cookies[Self.formCookieName]?.string ?? ""
        guard !sent.isEmpty, !expected.isEmpty, sent.utf8.count == expected.utf8.count,
            zip(sent.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else {
            throw CocreaError.csrf
        }
    }
}

/// A form token handed out in this response, to be set as the visitor's form cookie.
struct FormCookieKey: StorageKey {
    typealias Value = String
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
            guard let host = headers.first(name: .host), Self.authority(ofOrigin: origin) == Self.authority(ofHost: host) else {
                throw CocreaError.csrf
            }
        }
    }

    /// `host[:port]` of an `Origin` (`scheme://host[:port]`), without the scheme's default port.
    static func authority(ofOrigin origin: String) -> String? {
        let lowered = origin.lowercased()
        for (scheme, port) in [("https://", ":443"), ("http://", ":80")] where lowered.hasPrefix(scheme) {
            let authority = String(lowered.dropFirst(scheme.count))
            return authority.hasSuffix(port) ? String(authority.dropLast(port.count)) : authority
        }
        return nil
    }

    /// `host[:port]` of a `Host` header, without a default port.
    static func authority(ofHost host: String) -> String {
        let lowered = host.lowercased()
        for port in [":443", ":80"] where lowered.hasSuffix(port) { return String(lowered.dropLast(port.count)) }
        return lowered
    }
}

/// Marks requests served by page routes, which run behind the sessions middleware.
/// Sets the form cookie of a visitor who was given a token, and keeps signed-in pages out of caches.
/// A future rather than an `AsyncMiddleware`: it awaits nothing, and Vapor would start a task for it.
struct PageMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.storage[PageKey.self] = true
        return next.respond(to: request).map { response in
            if let token = request.storage[FormCookieKey.self] {
                response.cookies[Request.formCookieName] = HTTPCookies.Value(
                    string: token, maxAge: 60 * 60 * 12, path: "/", isSecure: request.options.baseURL.hasPrefix("https://"),
                    isHTTPOnly: true, sameSite: .lax)
            }
            if request.hasSession, request.session.data["userID"] != nil {
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            }
            return response
        }
    }
}

private struct PageKey: StorageKey {
    typealias Value = Bool
}

extension Request {
    var isPage: Bool { storage[PageKey.self] ?? false }
}
