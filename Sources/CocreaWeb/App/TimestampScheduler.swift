import CocreaStore
import CocreaUseCases
import Foundation
import Vapor

/// Every few seconds, asks the TSA for the timestamps that are due (`TimestampOperations.runDue`): a seal
/// waits for its token at most that long once the authority answers; one it refused waits its backoff.
final class TimestampScheduler: LifecycleHandler, Sendable {
    static let interval: TimeInterval = 5
    private let authority: TimestampAuthority
    private let loop = BackgroundLoop(name: "timestamps", logger: Logger(label: "cocrea.timestamps"), backoff: .databaseAway)

    init(authority: TimestampAuthority) {
        self.authority = authority
    }

    func didBootAsync(_ application: Application) async throws {
        let authority = authority
        loop.start { [weak application] in
            guard let app = application else { return Self.interval }
            let outcome = try await TimestampOperations.runDue(with: authority, on: app.useCases)
            if outcome.completed > 0 { app.logger.info("Sellos de tiempo obtenidos: \(outcome.completed)") }
            return Self.interval
        }
    }

    func shutdownAsync(_ application: Application) async {
        await loop.stop()
    }
}
