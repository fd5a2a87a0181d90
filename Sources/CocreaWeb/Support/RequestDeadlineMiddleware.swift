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
struct RequestDeadlineMiddleware: AsyncMiddleware {
    /// Above PostgreSQL's statement timeout (25 s), its pool wait (10 s) and connection timeout (5 s),
    /// so that a database that answers with an error is reported as such first.
    static let deadline = TimeAmount.seconds(30)

    let deadline: TimeAmount

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
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
        let handler = RequestDeadline.$current.withValue(requestDeadline) {
            Task {
                do {
                    _ = settle(.success(try await next.respond(to: req)))
                } catch {
                    _ = settle(.failure(error))
                }
            }
        }
        let timer = req.eventLoop.scheduleTask(in: deadline) {
            let commitSent = requestDeadline.pass()
            guard settle(.failure(commitSent ? CocreaError.commitUnanswered : CocreaError.databaseUnavailable)) else { return }
            handler.cancel()
            req.logger.error(
                "request.deadline_passed",
                metadata: [
                    "path": "\(req.redactedPath)", "seconds": "\(deadline.nanoseconds / 1_000_000_000)", "commit_sent": "\(commitSent)",
                ])
        }
        defer { timer.cancel() }
        return try await promise.futureResult.get()
    }
}
