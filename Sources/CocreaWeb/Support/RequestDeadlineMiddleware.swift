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
    private let inFlight = RequestsInFlight()

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

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
        let deadline = deadline
        let number = inFlight.add(passing: .now() + deadline, on: req.eventLoop) {
            let commitSent = requestDeadline.pass()
            guard settle(.failure(commitSent ? CocreaError.commitUnanswered : CocreaError.databaseUnavailable)) else { return }
            task.cancel()
            req.logger.error(
                "request.deadline_passed",
                metadata: [
                    "path": "\(req.redactedPath)", "seconds": "\(deadline.nanoseconds / 1_000_000_000)", "commit_sent": "\(commitSent)",
                ])
        }
        let inFlight = inFlight
        promise.futureResult.whenComplete { _ in inFlight.remove(number) }
        return promise.futureResult
    }
}

/// The requests in flight with their deadlines, looked at once a `sweep` by one timer that runs while
/// any is in flight, so a deadline is met within a second after it passes. A timer per request cost a
/// few per cent of the cheapest request: NIO keeps its scheduled tasks in one queue under a lock and
/// finds a cancelled one by walking it.
final class RequestsInFlight: Sendable {
    static let sweep = TimeAmount.seconds(1)

    private struct Waiting {
        let deadline: NIODeadline
        let pass: @Sendable () -> Void
    }

    private struct State {
        var numbered: UInt64 = 0
        var waiting: [UInt64: Waiting] = [:]
        var sweeping = false
    }

    private let state = NIOLockedValueBox(State())

    /// Keeps `pass`, to be called once `deadline` has passed unless the request is removed first.
    func add(passing deadline: NIODeadline, on loop: any EventLoop, _ pass: @escaping @Sendable () -> Void) -> UInt64 {
        let (number, startsSweeping) = state.withLockedValue { state in
            state.numbered &+= 1
            state.waiting[state.numbered] = Waiting(deadline: deadline, pass: pass)
            defer { state.sweeping = true }
            return (state.numbered, !state.sweeping)
        }
        if startsSweeping { sweep(after: Self.sweep, on: loop) }
        return number
    }

    func remove(_ number: UInt64) {
        state.withLockedValue { _ = $0.waiting.removeValue(forKey: number) }
    }

    private func sweep(after delay: TimeAmount, on loop: any EventLoop) {
        let scheduled = loop.scheduleTask(in: delay) {
            let now = NIODeadline.now()
            let (passed, goesOn) = self.state.withLockedValue { state in
                let passed = state.waiting.filter { $0.value.deadline <= now }
                for number in passed.keys { state.waiting.removeValue(forKey: number) }
                state.sweeping = !state.waiting.isEmpty
                return (passed.values.map(\.pass), state.sweeping)
            }
            passed.forEach { $0() }
            if goesOn { self.sweep(after: Self.sweep, on: loop) }
        }
        // A loop shutting down refuses the task: when it says so, the next request starts the sweep again.
        scheduled.futureResult.whenFailure { _ in self.state.withLockedValue { $0.sweeping = false } }
    }
}
