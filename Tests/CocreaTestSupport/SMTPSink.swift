import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `Tests/support/smtp_sink.py` read in one delivered message, parsed by
/// Python's `email` package rather than by our own code.
public struct ReceivedMail: Decodable, Sendable {
    public struct Address: Decodable, Equatable, Sendable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct Attachment: Decodable, Sendable {
        public var filename: String?
        public var mediaType: String
        public var parameters: [String: String]
        public var disposition: String?
        public var size: Int
        public var sha256: String
        public var dataBase64: String?

        public var data: Data? { dataBase64.flatMap { Data(base64Encoded: $0) } }
    }

    public var mailFrom: String
    public var rcptTos: [String]
    public var subject: String?
    public var from: [Address]
    public var to: [Address]
    public var messageID: String?
    public var date: String?
    public var contentType: String
    public var textBody: String?
    public var htmlBody: String?
    public var attachments: [Attachment]
    /// Everything the parser had to forgive; empty for a well-formed message.
    public var defects: [String]
    public var longestLine: Int
}

public struct SMTPSinkError: Error, CustomStringConvertible {
    public var description: String
}

/// A real SMTP server on a loopback port for one test: `Tests/support/smtp_sink.py`.
public final class SMTPSink: @unchecked Sendable {
    public struct Options: Sendable {
        public init(authUser: String? = nil, authPassword: String? = nil, tls: Bool = false, failFirst: Int = 0, rejectRecipients: [String] = []) {
            self.authUser = authUser
            self.authPassword = authPassword
            self.tls = tls
            self.failFirst = failFirst
            self.rejectRecipients = rejectRecipients
        }

        public var authUser: String?
        public var authPassword: String?
        /// Offer STARTTLS with a fresh self-signed certificate, and require it.
        public var tls = false
        /// Answer 451 to this many messages before accepting any.
        public var failFirst = 0
        public var rejectRecipients: [String] = []
    }

    public let port: Int
    /// The self-signed certificate to trust, when `tls` is on.
    public let caFile: String?
    private let directory: URL
    private let process: ChildProcess
    /// Held open: the sink exits when it closes, even if this test process dies.
    private let stdin: FileHandle

    public static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("support/smtp_sink.py").path

    private init(port: Int, caFile: String?, directory: URL, process: ChildProcess, stdin: FileHandle) {
        self.port = port
        self.caFile = caFile
        self.directory = directory
        self.process = process
        self.stdin = stdin
    }

    deinit { stop() }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public static func start(_ options: Options = Options()) async throws -> SMTPSink {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cocrea-smtp-sink-\(UUID().uuidString)")
        let mailDirectory = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mailDirectory, withIntermediateDirectories: true)

        var arguments = ["--port", "0", "--dir", mailDirectory.path, "--exit-on-stdin-close"]
        var caFile: String?
        if options.tls {
            let certificates = directory.appendingPathComponent("certificates")
            try await runPython(["--generate-cert", certificates.path])
            let certificate = certificates.appendingPathComponent("cert.pem").path
            arguments += ["--tls-cert", certificate, "--tls-key", certificates.appendingPathComponent("key.pem").path]
            caFile = certificate
        }
        if let user = options.authUser {
            arguments += ["--auth-user", user, "--auth-password", options.authPassword ?? ""]
        }
        if options.failFirst > 0 {
            arguments += ["--fail-first", String(options.failFirst)]
        }
        for recipient in options.rejectRecipients {
            arguments += ["--reject-rcpt", recipient]
        }

        // Started, not run: the sink serves for the whole test, read through `readabilityHandler`.
        let stderrPath = directory.appendingPathComponent("stderr.log").path
        let stderr = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { if stderr >= 0 { close(stderr) } }
        let input = try ChildProcess.pipe()
        let output = try ChildProcess.pipe()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                "python3", [script] + arguments, stdin: input.read, stdout: output.write, stderr: stderr >= 0 ? stderr : nil)
        } catch {
            for end in [input.read, input.write, output.read, output.write] { close(end) }
            throw error
        }
        close(input.read)
        close(output.write)
        let stdin = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        let stdout = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        let ready = OutputBuffer()
        stdout.readabilityHandler = { handle in ready.append(handle.availableData) }
        defer { stdout.readabilityHandler = nil }

        // A readiness wait, not a speed check: with the whole suite starting sinks at once on two
        // cores, python3 has been seen to take more than 15 s to import aiosmtpd.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let port = ready.readyPort() {
                return SMTPSink(port: port, caFile: caFile, directory: directory, process: process, stdin: stdin)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGTERM)
        let said = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw SMTPSinkError(description: "the SMTP sink did not start (python3 with aiosmtpd needed): \(said)")
    }

    /// Every message accepted so far, oldest first.
    public func messages() throws -> [ReceivedMail] {
        let mailDirectory = directory.appendingPathComponent("mail")
        let numbers = try FileManager.default.contentsOfDirectory(atPath: mailDirectory.path)
            .filter { $0.hasSuffix(".json") }
            .compactMap { Int($0.dropLast(".json".count)) }
            .sorted()
        return try numbers.map { number in
            let data = try Data(contentsOf: mailDirectory.appendingPathComponent("\(number).json"))
            return try JSONDecoder().decode(ReceivedMail.self, from: data)
        }
    }

    /// The raw bytes of message `number` (1-based), as they arrived.
    public func rawMessage(_ number: Int) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent("mail/\(number).eml"))
    }

    public func waitForMessages(count: Int, timeout: TimeInterval = 60) async throws -> [ReceivedMail] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let received = try messages()
            if received.count >= count { return received }
            guard Date() < deadline else {
                throw SMTPSinkError(description: "expected \(count) messages, the sink has \(received.count)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Not waiting for the sink to be gone: a test ends here, and what a dying sink still writes lands in
    /// a folder no one reads.
    public func stop() {
        // Closing its stdin stops the sink (--exit-on-stdin-close) even where signals can't reach it.
        try? stdin.close()
        process.signal(SIGTERM)
        try? FileManager.default.removeItem(at: directory)
    }

    private static func runPython(_ arguments: [String]) async throws {
        guard try await Tool.run("python3", [script] + arguments).status == 0 else {
            throw SMTPSinkError(description: "smtp_sink.py \(arguments.joined(separator: " ")) failed")
        }
    }
}

/// The sink's stdout, filled from FileHandle's reading thread.
private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    public func append(_ chunk: Data) {
        lock.withLock { data.append(chunk) }
    }

    public func readyPort() -> Int? {
        let text = lock.withLock { String(decoding: data, as: UTF8.self) }
        return text.split(separator: "\n").lazy.compactMap { line in
            line.hasPrefix("READY ") ? Int(line.dropFirst("READY ".count)) : nil
        }.first
    }
}
