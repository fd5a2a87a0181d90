import CocreaCore
import CocreaStore
import CocreaUseCases
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// No request waits for its handler longer than `deadline`: past it, the client is answered 503
/// `database_unavailable` with `Retry-After` (saying the change may have been kept when a commit was
/// already on its way) and the handler is cancelled and left behind. A database that accepts connections but never
/// answers (stopped, or a lock held) is the only thing that makes a handler this slow. The writer
/// refuses to commit for a request whose deadline passed (`RequestDeadline`), so the work left behind
/// is rolled back rather than saved after its client was told it failed. The deadline counts from the
/// moment the body has arrived (`RequestBodyMiddleware` bounds that) to the response's head: a live
/// stream's body is sent after it and is not bounded.
struct RequestDeadlineMiddleware: Middleware {
    /// Above PostgreSQL's statement timeout (25 s), its pool wait (10 s) and connection timeout (5 s),
    /// so that a database that answers with an error is reported as such first.
    static let deadline = TimeAmount.seconds(30)

    let deadline: TimeAmount

    func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let requestDeadline = RequestDeadline()
        let promise = req.eventLoop.makePromise(of: Response.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Result<Response, any Error>) -> Bool = { result in
            guard
                settled.withLockedValue({ done in
                    defer { done = true }
                    return !done
                })
            else { return false }
            promise.completeWith(result)
            return true
        }
        // The handler's task is the request's only one when the route's own async handler follows (a
        // route outside any group): it is called here rather than through a future, which would start
        // another task. It can be cancelled and left behind.
        let handler = (next as? any AsyncResponder) ?? AsyncBasicResponder { try await next.respond(to: $0).get() }
        let task = RequestDeadline.$current.withValue(requestDeadline) {
            Task {
                do {
                    _ = settle(.success(try await handler.respond(to: req)))
                } catch {
                    _ = settle(.failure(error))
                }
            }
        }
        let timer = req.eventLoop.scheduleTask(in: deadline) {
            let commitSent = requestDeadline.pass()
            guard settle(.failure(commitSent ? CocreaError.commitUnanswered : CocreaError.databaseUnavailable)) else { return }
            task.cancel()
            req.logger.error(
                "request.deadline_passed",
                metadata: [
                    "path": "\(req.redactedPath)", "seconds": "\(deadline.nanoseconds / 1_000_000_000)", "commit_sent": "\(commitSent)",
                ])
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }
}
