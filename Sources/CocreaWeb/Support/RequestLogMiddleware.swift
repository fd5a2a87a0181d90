import Vapor

/// One structured log line per request (method, path, status, duration), and the request counted and
/// timed for `/metrics` (`RequestMetrics`). A future (as are the other global middleware when they need
/// not wait): it awaits nothing, and Vapor would start a task for it.
struct RequestLogMiddleware: Middleware {
    let metrics: RequestMetrics

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = ContinuousClock.now
        return next.respond(to: request).always { result in
            let elapsed = ContinuousClock.now - start
            let status: UInt
            switch result {
            case .success(let response): status = response.status.code
            // Only an error `ProblemMiddleware` could not turn into an answer gets here; the server
            // closes the connection on it, and counts it 500 as Vapor does.
            case .failure: status = 500
            }
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            metrics.record(request, status: status, nanoseconds: nanoseconds)
            request.logger.info(
                "request",
                metadata: [
                    "method": "\(request.method.rawValue)",
                    "path": "\(request.redactedPath)",
                    "status": "\(status)",
                    "ms": "\(String(format: "%.1f", Double(nanoseconds) / 1e6))",
                ])
        }
    }
}

/// Headers that keep pages from being framed, sniffed or leaking addresses.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'",
        "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            // Changed in one copy: a response keeps its headers behind a lock, and each change made on
            // `response.headers` itself would copy them out and back.
            var headers = response.headers
            headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
            headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            response.headers = headers
            return response
        }
    }
}

extension Request {
    /// The path with the secrets of personal links (receipts, sign-in, signing) replaced, for logs.
    var redactedPath: String {
        var parts = url.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var secretFollows = false
        for index in parts.indices where !parts[index].isEmpty {
            // The next non-empty segment, so that `/receipts//TOKEN` hides the token too.
            if secretFollows {
                parts[index] = "…"
                secretFollows = false
            } else {
                secretFollows = ["receipts", "link", "sign", "signing"].contains(parts[index])
            }
        }
        return parts.joined(separator: "/")
    }
}
