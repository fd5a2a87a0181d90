import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

extension Application {
    /// The use cases' context for work outside a request (the command line, the digest scheduler).
    package var useCases: UseCaseContext { useCases(db: db, logger: logger) }

    func useCases(db: any Database, logger: Logger) -> UseCaseContext {
        let password = self.password
        let hub = roundtableHub
        return UseCaseContext(
            db: db, writer: writer, clock: options.now, baseURL: options.baseURL, mailFrom: options.mailFrom, location: options.location,
            identity: identity, threadPool: threadPool, logger: logger, wakeTable: { hub.wake($0) }, surveyIntake: surveyIntake,
            fetchClient: packageFetchClient,
            passwords: PasswordHashing(hash: { try password.hash($0) }, verify: { try password.verify($0, created: $1) }))
    }
}

extension Request {
    /// The use cases' context for this request: its database handle and logger, the application's services.
    var useCases: UseCaseContext { application.useCases(db: db, logger: logger) }
}
