import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

extension Application {
    /// The use cases' context for work outside a request (the command line, the digest scheduler).
    package var useCases: UseCaseContext {
        get throws { try useCases(db: { self.db }, logger: logger) }
    }

    /// Vapor empties the application's storage when it shuts down: a request still running then is
    /// answered 503 like a database that went away, instead of stopping the process.
    func useCases(db: () -> any Database, logger: Logger) throws -> UseCaseContext {
        guard let options = storage[OptionsKey.self]?.options, let writer = storage[WriterKey.self], let identity = storage[IdentityKey.self],
            let intake = storage[SurveyIntakeKey.self], let client = storage[PackageFetchClientKey.self]
        else { throw CocreaError.databaseUnavailable }
        let hub = roundtableHub
        let password = self.password
        return UseCaseContext(
            db: db(), writer: writer, clock: options.now, baseURL: options.baseURL, mailFrom: options.mailFrom, location: options.location,
            identity: identity, threadPool: threadPool, logger: logger, wakeTable: { hub.wake($0) }, surveyIntake: intake,
            fetchClient: client,
            passwords: PasswordHashing(hash: { try password.hash($0) }, verify: { try password.verify($0, created: $1) }),
            trust: storage[TrustKey.self], timestampAuthority: storage[TimestampAuthorityKey.self], ocsp: options.ocsp)
    }
}

extension Request {
    /// The use cases' context for this request: its database handle and logger, the application's services.
    var useCases: UseCaseContext {
        get throws { try application.useCases(db: { self.db }, logger: logger) }
    }
}
