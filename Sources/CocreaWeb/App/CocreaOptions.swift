import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import CocreaUseCases
import Foundation
import NIOCore

/// Where the instance's signing key and certificate come from.
public enum SigningIdentitySource: Sendable, Equatable {
    /// `certificate.pem` and `private-key.pem` in this directory, created on first run.
    case directory(String)
    /// PEM files the operator provides (e.g. issued by the government's own CA).
    case files(certificate: String, privateKey: String)

    func load(commonName: String) throws -> InstanceIdentity {
        switch self {
        case .directory(let path):
            return try InstanceIdentity.loadOrCreate(in: URL(fileURLWithPath: path), commonName: commonName)
        case .files(let certificate, let privateKey):
            return try InstanceIdentity(
                certificatePEM: String(contentsOfFile: certificate, encoding: .utf8),
                privateKeyPEM: String(contentsOfFile: privateKey, encoding: .utf8))
        }
    }

    /// Where the certificate is, for checking seals offline (`cocrea verify`).
    public var certificatePath: String {
        switch self {
        case .directory(let path): (path as NSString).appendingPathComponent("certificate.pem")
        case .files(let certificate, _): certificate
        }
    }

    /// `COCREA_SIGNING_CERTIFICATE` and `COCREA_SIGNING_KEY` when both are set, else
    /// `$COCREA_DATA_DIR/signing` (default ./data/signing).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SigningIdentitySource {
        if let certificate = environment["COCREA_SIGNING_CERTIFICATE"], let key = environment["COCREA_SIGNING_KEY"],
            !certificate.isEmpty, !key.isEmpty
        {
            return .files(certificate: certificate, privateKey: key)
        }
        let directory = environment["COCREA_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return .directory((directory as NSString).appendingPathComponent("signing"))
    }
}

/// Everything the server reads from its environment, in one place.
public struct CocreaOptions: Sendable {
    public var location: StoreLocation
    /// The address people reach Cocrea at, used in mail links (`COCREA_BASE_URL`).
    public var baseURL: String
    public var mailFrom: MailAddress
    /// Nil when `SMTP_URL` is unset: mail waits in the outbox until it is configured.
    public var smtp: SMTPConfiguration?
    public var runOutboxWorker: Bool
    public var retry: RetryPolicy
    /// Where templates (`Resources/Views`) and static files (`Public`) are found.
    public var rootDirectory: String
    public var signing: SigningIdentitySource
    /// PEM files of the certification authorities an actor's e.firma must chain to (`COCREA_TRUST_ROOTS`,
    /// paths separated by `:`); empty, signing with e.firma is not offered.
    public var trustRoots: [String] = []
    /// The RFC 3161 time-stamping authority every seal and e.firma signature is timestamped by
    /// (`COCREA_TSA_URL`); unset, a seal is completed without a trusted time.
    public var timestampAuthorityURL: String?
    /// How an e.firma's revocation is checked by OCSP: whether a signature is refused while it cannot be
    /// (`COCREA_OCSP_REQUIRED=true`), and a responder to ask instead of the certificate's own (`COCREA_OCSP_URL`).
    package var ocsp = OCSPPolicy()
    /// PEM files of the roots (and intermediates) the TSA's certificate must chain to (`COCREA_TSA_CA`,
    /// paths separated by `:`); required with `COCREA_TSA_URL`.
    public var timestampAuthorityRoots: [String] = []
    /// Survey answers one client may send per minute (`COCREA_SURVEY_RATE_LIMIT`, 0 = no limit).
    public var surveyRateLimit: Int
    /// Whether this process queues the weekly digest (`COCREA_WEEKLY_DIGEST=off` leaves it to `cocrea digest`).
    public var sendsWeeklyDigest = false
    /// Reverse proxies whose `X-Forwarded-For` names the client (`COCREA_TRUSTED_PROXIES`); none by default.
    public var trustedProxies = TrustedProxies()
    /// The bearer token that lets a scraper read `/metrics` from another machine (`COCREA_METRICS_TOKEN`);
    /// without it, only a direct request from this machine may.
    public var metricsToken: String?
    /// How long a request waits for its handler before it is answered 503 (see `RequestDeadlineMiddleware`).
    public var requestDeadline: TimeAmount = RequestDeadlineMiddleware.deadline
    /// How long PostgreSQL lets one statement run or wait for a lock (see `StoreSetup.statementTimeout`).
    public var statementTimeout: TimeAmount = StoreSetup.statementTimeout
    /// How long a request waits to connect and for a pooled connection (see `StoreSetup.ConnectionWaits`).
    public var connectionWaits: StoreSetup.ConnectionWaits = .production
    /// How long `/healthz` waits for the database to answer before it says 503 (see `DatabaseProbe`).
    public var healthProbeTimeout: TimeAmount = DatabaseProbe.timeout
    public var now: @Sendable () -> Date

    public init(
        location: StoreLocation, baseURL: String, mailFrom: MailAddress, smtp: SMTPConfiguration?,
        runOutboxWorker: Bool, retry: RetryPolicy = RetryPolicy(), rootDirectory: String,
        signing: SigningIdentitySource, surveyRateLimit: Int = 30, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.location = location
        self.baseURL = baseURL
        self.mailFrom = mailFrom
        self.smtp = smtp
        self.runOutboxWorker = runOutboxWorker
        self.retry = retry
        self.rootDirectory = rootDirectory
        self.signing = signing
        self.surveyRateLimit = surveyRateLimit
        self.now = now
    }

    /// `resources` (the `--resources` option) wins over `COCREA_RESOURCES`; see `ResourceLocation`.
    public static func fromEnvironment(host: String = "127.0.0.1", port: Int = 8080, resources: String? = nil) throws -> CocreaOptions {
        let env = ProcessInfo.processInfo.environment
        let smtp = try env["SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 }.map {
            try SMTPConfiguration(url: $0, caFile: env["SMTP_CA_FILE"])
        }
        let root = try ResourceLocation.resolve(given: resources ?? env["COCREA_RESOURCES"])
        var options = CocreaOptions(
            location: .fromEnvironment(env),
            baseURL: env["COCREA_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(host):\(port)",
            mailFrom: MailAddress.parse(env["MAIL_FROM"] ?? "") ?? MailAddress(email: "no-responder@cocrea.localhost", name: "Cocrea"),
            smtp: smtp,
            runOutboxWorker: true,
            rootDirectory: root,
            signing: .fromEnvironment(env),
            surveyRateLimit: env["COCREA_SURVEY_RATE_LIMIT"].flatMap { Int($0) }.map { max(0, $0) } ?? 30)
        options.sendsWeeklyDigest = env["COCREA_WEEKLY_DIGEST"] != "off"
        options.trustedProxies = try TrustedProxies.parse(env["COCREA_TRUSTED_PROXIES"] ?? "")
        options.metricsToken = env["COCREA_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        options.trustRoots = (env[EFirmaTrust.environmentVariable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        options.timestampAuthorityURL = env[TimestampAuthority.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        options.ocsp = OCSPPolicy(
            required: try Self.ocspRequired(env[OCSPPolicy.requiredVariable]),
            url: env[OCSPPolicy.urlVariable].flatMap { $0.isEmpty ? nil : $0 })
        options.timestampAuthorityRoots = (env[TimeStamp.Trust.environmentVariable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return options
    }
}

extension CocreaOptions {
    /// `COCREA_OCSP_REQUIRED`: `true` or `false` (unset is `false`); anything else stops the start-up rather than guess.
    static func ocspRequired(_ value: String?) throws -> Bool {
        switch value?.lowercased() {
        case nil, "", "false": return false
        case "true": return true
        default: throw CocreaError.ocspRequiredInvalid(value ?? "")
        }
    }
}

extension MailAddress {
    /// Reads "Name <email>" or a bare address.
    static func parse(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return email.contains("@") ? MailAddress(email: email, name: name.isEmpty ? nil : name) : nil
        }
        return trimmed.contains("@") ? MailAddress(email: trimmed) : nil
    }
}
