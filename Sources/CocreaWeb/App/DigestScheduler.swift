import CocreaStore
import CocreaUseCases
import Foundation
import Vapor

/// Queues the weekly digest, checking every hour: a server that was down on Monday sends it when it
/// comes back (see `DigestOperations.isDigestDue`). Never twice in a week.
final class DigestScheduler: LifecycleHandler, Sendable {
    private let loop = BackgroundLoop(name: "digest", logger: Logger(label: "cocrea.digest"), backoff: .init(first: 60, maximum: 3600))

    func didBootAsync(_ application: Application) async throws {
        loop.start { [weak application] in
            guard let app = application else { return 3600 }
            let now = app.options.now()
            if DigestOperations.isDigestDue(at: now) {
                let outcome = try await DigestOperations.sendWeekly(on: app.useCases, at: now)
                if outcome.queued > 0 { app.logger.info("Resumen semanal \(outcome.week): \(outcome.queued) en la bandeja de salida") }
            }
            return 3600
        }
    }

    func shutdownAsync(_ application: Application) async {
        await loop.stop()
    }
}
