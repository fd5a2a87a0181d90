import CocreaStore
import CocreaUseCases
import Foundation
import Vapor

/// Every ten minutes, queues the day's mail of each followed commitment with new reports or verdicts on
/// them, and deletes the addresses left unconfirmed for a week (`FollowerOperations.sendDaily`): news wait
/// at most ten minutes for their mail, or until the next day when the commitment's mail of the day already went.
final class FollowerScheduler: LifecycleHandler, Sendable {
    private let loop = BackgroundLoop(name: "followers", logger: Logger(label: "cocrea.followers"), backoff: .init(first: 60, maximum: 3600))

    func didBootAsync(_ application: Application) async throws {
        loop.start { [weak application] in
            guard let app = application else { return 600 }
            let outcome = try await FollowerOperations.sendDaily(on: app.useCases, at: app.options.now())
            if outcome.queued > 0 { app.logger.info("Avances de compromisos seguidos: \(outcome.queued) correos en la bandeja de salida") }
            return 600
        }
    }

    func shutdownAsync(_ application: Application) async {
        await loop.stop()
    }
}
