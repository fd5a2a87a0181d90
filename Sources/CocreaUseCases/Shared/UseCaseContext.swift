import AsyncHTTPClient
import CocreaDocuments
import CocreaMail
import CocreaStore
import FluentKit
import Foundation
import Logging
import NIOPosix

/// Everything a use case may reach besides its inputs, in one explicit value: the web layer builds
/// it from the application for each request, the command line and the tests build it directly.
package struct UseCaseContext: Sendable {
    package var db: any Database
    package var writer: Writer
    package var clock: @Sendable () -> Date
    /// The address people reach Cocrea at, for links in mail, PDFs and feeds.
    package var baseURL: String
    /// Who mail comes from.
    package var mailFrom: MailAddress
    package var location: StoreLocation
    /// The key and certificate that seal this instance's plans.
    package var identity: InstanceIdentity
    /// Where rendering and parsing run, off the event loops.
    package var threadPool: NIOThreadPool
    package var logger: Logger
    /// Tells the live streams of a mesa that something happened at it.
    package var wakeTable: @Sendable (UUID) -> Void
    package var surveyIntake: SurveyIntake
    /// Fetches OCDS packages from the address an administrator typed; follows no redirect.
    package var fetchClient: HTTPClient
    package var passwords: PasswordHashing
    /// The certification authorities e.firma certificates must chain to (`COCREA_TRUST_ROOTS`); none
    /// configured, no e.firma is accepted.
    package var trust: EFirmaTrust?
    /// The RFC 3161 authority seals and e.firma signatures are timestamped by (`COCREA_TSA_URL`); none
    /// configured, a seal is completed when it is signed, with no trusted time.
    package var timestampAuthority: TimestampAuthority?
    /// How an e.firma's revocation is checked (`COCREA_OCSP_REQUIRED`, `COCREA_OCSP_URL`).
    package var ocsp: OCSPPolicy

    package init(
        db: any Database, writer: Writer, clock: @escaping @Sendable () -> Date, baseURL: String, mailFrom: MailAddress, location: StoreLocation,
        identity: InstanceIdentity, threadPool: NIOThreadPool, logger: Logger, wakeTable: @escaping @Sendable (UUID) -> Void,
        surveyIntake: SurveyIntake, fetchClient: HTTPClient, passwords: PasswordHashing, trust: EFirmaTrust? = nil,
        timestampAuthority: TimestampAuthority? = nil, ocsp: OCSPPolicy = OCSPPolicy()
    ) {
        self.db = db
        self.writer = writer
        self.clock = clock
        self.baseURL = baseURL
        self.mailFrom = mailFrom
        self.location = location
        self.identity = identity
        self.threadPool = threadPool
        self.logger = logger
        self.wakeTable = wakeTable
        self.surveyIntake = surveyIntake
        self.fetchClient = fetchClient
        self.passwords = passwords
        self.trust = trust
        self.timestampAuthority = timestampAuthority
        self.ocsp = ocsp
    }

    /// The current instant, from the injected clock (tests move it).
    package var now: Date { clock() }
}

/// Password hashing, given by the web layer (bcrypt through Vapor) so use cases need no Vapor.
package struct PasswordHashing: Sendable {
    package var hash: @Sendable (String) throws -> String
    package var verify: @Sendable (_ password: String, _ hash: String) throws -> Bool

    package init(hash: @escaping @Sendable (String) throws -> String, verify: @escaping @Sendable (String, String) throws -> Bool) {
        self.hash = hash
        self.verify = verify
    }
}
