import CocreaMail
import CocreaStore
import Foundation

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
    public var now: @Sendable () -> Date

    public init(location: StoreLocation, baseURL: String, mailFrom: MailAddress, smtp: SMTPConfiguration?,
                runOutboxWorker: Bool, retry: RetryPolicy = RetryPolicy(), rootDirectory: String,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.location = location
        self.baseURL = baseURL
        self.mailFrom = mailFrom
        self.smtp = smtp
        self.runOutboxWorker = runOutboxWorker
        self.retry = retry
        self.rootDirectory = rootDirectory
        self.now = now
    }

    public static func fromEnvironment(host: String = "127.0.0.1", port: Int = 8080) throws -> CocreaOptions {
        let env = ProcessInfo.processInfo.environment
        let smtp = try env["SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 }.map {
            try SMTPConfiguration(url: $0, caFile: env["SMTP_CA_FILE"])
        }
        let root = env["COCREA_ROOT"] ?? FileManager.default.currentDirectoryPath
        return CocreaOptions(
            location: .fromEnvironment(env),
            baseURL: env["COCREA_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(host):\(port)",
            mailFrom: MailAddress.parse(env["MAIL_FROM"] ?? "") ?? MailAddress(email: "no-responder@cocrea.localhost", name: "Cocrea"),
            smtp: smtp,
            runOutboxWorker: true,
            rootDirectory: root)
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
