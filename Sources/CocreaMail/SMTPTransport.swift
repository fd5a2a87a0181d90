import CCurl
import Foundation

/// Why a message was not sent. `message` is Spanish, for people; `code` is stable, for programs.
/// `isPermanent` tells the outbox whether retrying can help.
public struct MailError: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let isPermanent: Bool
    /// The SMTP reply code behind the failure, when the server gave one.
    public let responseCode: Int?

    public init(code: String, message: String, isPermanent: Bool, responseCode: Int? = nil) {
        self.code = code
        self.message = message
        self.isPermanent = isPermanent
        self.responseCode = responseCode
    }

    public var description: String { "\(code): \(message)" }
}

public struct SMTPConfiguration: Sendable {
    /// `smtp://host:port` (STARTTLS when the server offers it), `smtp://user:pass@host:587`,
    /// or `smtps://user:pass@host:465` (TLS from the start). Userinfo is percent-decoded.
    public var url: String
    /// A PEM bundle of certificate authorities to trust instead of the system's.
    public var caFile: String?
    public var verifyPeer: Bool
    /// Seconds allowed to connect, and for each server reply or stalled upload.
    public var timeout: TimeInterval

    public init(url: String, caFile: String? = nil, verifyPeer: Bool = true, timeout: TimeInterval = 30) throws {
        _ = try SMTPEndpoint(url)
        self.url = url
        self.caFile = caFile
        self.verifyPeer = verifyPeer
        self.timeout = timeout
    }
}

/// The parts of an SMTP URL libcurl is given separately.
struct SMTPEndpoint: Sendable {
    /// The URL without credentials, so they never show up in curl's messages.
    var url: String
    var implicitTLS: Bool
    var username: String?
    var password: String?

    init(_ url: String) throws {
        let invalid = MailError(
            code: "smtp_url_invalid",
            message: "La dirección del servidor de correo no es válida. Use smtp://servidor:puerto, "
                + "smtp://usuario:contraseña@servidor:587 o smtps://usuario:contraseña@servidor:465.",
            isPermanent: true
        )
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps",
            let host = components.host, !host.isEmpty
        else { throw invalid }
        var anonymous = components
        anonymous.user = nil
        anonymous.password = nil
        guard let withoutCredentials = anonymous.string else { throw invalid }
        self.url = withoutCredentials
        self.implicitTLS = scheme == "smtps"
        self.username = components.user
        self.password = components.password
    }
}

/// Sends mail through an SMTP server with libcurl.
public struct SMTPTransport: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Sends to every address in `message.to`; the envelope sender is `message.from.email`.
    public func send(_ message: MailMessage) async throws {
        try await send(raw: message.rendered(), from: message.from.email, recipients: message.to.map(\.email))
    }

    /// Sends bytes that are already a complete message. If the server refuses any
    /// recipient, nothing is sent.
    public func send(raw: Data, from: String, recipients: [String]) async throws {
        let endpoint = try SMTPEndpoint(configuration.url)
        try Self.validateEnvelope(from: from, recipients: recipients)
        let configuration = self.configuration
        // curl_easy_perform blocks for the whole conversation, so it gets its own
        // thread rather than one of the few threads of Swift's cooperative pool.
        let result: Result<Void, MailError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: CurlSession.send(
                        raw: raw, from: from, recipients: recipients, endpoint: endpoint, configuration: configuration
                    ))
            }
            thread.name = "cocrea-smtp"
            thread.start()
        }
        try result.get()
    }

    static func validateEnvelope(from: String, recipients: [String]) throws {
        guard !recipients.isEmpty else {
            throw MailError(code: "mail_no_recipients", message: "El mensaje no tiene destinatarios.", isPermanent: true)
        }
        for address in [from] + recipients where !isEnvelopeAddress(address) {
            throw MailError(
                code: "mail_address_invalid",
                message: "La dirección de correo «\(address)» no es válida.",
                isPermanent: true
            )
        }
    }

    /// Rejects what would break the SMTP command line: spaces, controls, angle brackets.
    static func isEnvelopeAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count >= 2 && !parts[0].isEmpty && !(parts.last ?? "").isEmpty
            && address.unicodeScalars.allSatisfy { $0.value > 32 && $0.value != 127 && $0 != "<" && $0 != ">" }
    }
}

/// One blocking libcurl SMTP conversation.
enum CurlSession {
    /// curl_global_init must run once before any handle; a static let runs it exactly once, thread-safely.
    static let globalInitCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// The bytes curl pulls through its read callback.
    final class UploadSource {
        let data: Data
        var offset = 0

        init(_ data: Data) { self.data = data }

        func read(into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
            let count = min(capacity, data.count - offset)
            guard count > 0 else { return 0 }
            let start = data.startIndex + offset
            data.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), from: start..<(start + count))
            offset += count
            return count
        }
    }

    static func send(
        raw: Data, from: String, recipients: [String], endpoint: SMTPEndpoint, configuration: SMTPConfiguration
    ) -> Result<Void, MailError> {
        guard globalInitCode == CURLE_OK, let handle = curl_easy_init() else {
            return .failure(
                MailError(
                    code: "smtp_failed", message: "No se pudo preparar el envío de correo (libcurl).", isPermanent: false
                ))
        }
        defer { curl_easy_cleanup(handle) }

        var recipientList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipientList) }
        for recipient in recipients {
            guard let extended = curl_slist_append(recipientList, recipient) else {
                return .failure(MailError(code: "smtp_failed", message: "Memoria insuficiente para el envío.", isPermanent: false))
            }
            recipientList = extended
        }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }

        let source = UploadSource(raw)
        let timeout = max(1, Int(configuration.timeout.rounded(.up)))
        var options: [CURLcode] = [
            cocrea_curl_set_string(handle, CURLOPT_URL, endpoint.url),
            cocrea_curl_set_string(handle, CURLOPT_MAIL_FROM, from),
            cocrea_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipientList)),
            cocrea_curl_set_long(handle, CURLOPT_UPLOAD, 1),
            cocrea_curl_set_read_function(handle) { buffer, size, count, userdata in
                guard let buffer, let userdata else { return 0 }
                let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
                return source.read(into: UnsafeMutableRawPointer(buffer), capacity: size * count)
            },
            cocrea_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque()),
            // smtps:// is TLS from the first byte; smtp:// upgrades with STARTTLS when offered, and must
            // when there are credentials, so a stripped STARTTLS never exposes the password.
            cocrea_curl_set_long(
                handle, CURLOPT_USE_SSL,
                Int(endpoint.implicitTLS || endpoint.username != nil ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue)
            ),
            cocrea_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, configuration.verifyPeer ? 1 : 0),
            cocrea_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, configuration.verifyPeer ? 2 : 0),
            cocrea_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, timeout),
            cocrea_curl_set_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout),
            // No overall limit (large attachments on slow links), but a stalled transfer ends.
            cocrea_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
            cocrea_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, timeout),
            // Signals would reach the whole process; curl's threaded resolver does not need them.
            cocrea_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            cocrea_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
        ]
        if let username = endpoint.username {
            options.append(cocrea_curl_set_string(handle, CURLOPT_USERNAME, username))
            options.append(cocrea_curl_set_string(handle, CURLOPT_PASSWORD, endpoint.password ?? ""))
        }
        if let caFile = configuration.caFile {
            options.append(cocrea_curl_set_string(handle, CURLOPT_CAINFO, caFile))
        }
        if let failed = options.first(where: { $0 != CURLE_OK }) {
            return .failure(
                MailError(
                    code: "smtp_failed",
                    message: "No se pudo configurar el envío de correo (\(String(cString: curl_easy_strerror(failed)))).",
                    isPermanent: false
                ))
        }

        let code = withExtendedLifetime(source) { curl_easy_perform(handle) }
        guard code != CURLE_OK else { return .success(()) }

        var responseCode = 0
        _ = cocrea_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let bufferText = String(cString: errorBuffer)
        let detail = bufferText.isEmpty ? String(cString: curl_easy_strerror(code)) : bufferText
        return .failure(error(code: code, responseCode: responseCode, detail: detail))
    }

    /// Temporary unless the server refused this message or a recipient with a 5xx reply.
    /// Authentication and TLS failures are temporary too: they are the server's
    /// configuration, not the message's, and mail waiting in the outbox should go
    /// out once an operator fixes them.
    static func error(code: CURLcode, responseCode: Int, detail: String) -> MailError {
        let reply = responseCode > 0 ? responseCode : nil
        let authenticationReplies: Set<Int> = [530, 534, 535, 538]  // RFC 4954 §6 and STARTTLS-required
        if code == CURLE_LOGIN_DENIED || authenticationReplies.contains(responseCode) {
            return MailError(
                code: "smtp_auth_failed",
                message: "El servidor de correo no aceptó el usuario o la contraseña configurados (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        }
        switch responseCode {
        case 500..<600:
            return MailError(
                code: "smtp_rejected",
                message: "El servidor de correo rechazó el mensaje o un destinatario (\(detail)).",
                isPermanent: true, responseCode: reply
            )
        case 400..<500:
            return MailError(
                code: "smtp_deferred",
                message: "El servidor de correo no puede aceptar el mensaje por ahora (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        default:
            break
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            return MailError(
                code: "smtp_unreachable", message: "No se pudo conectar con el servidor de correo (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        case CURLE_OPERATION_TIMEDOUT:
            return MailError(
                code: "smtp_timeout", message: "El servidor de correo no respondió a tiempo (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR, CURLE_USE_SSL_FAILED:
            return MailError(
                code: "smtp_tls_failed",
                message: "No se pudo establecer una conexión segura con el servidor de correo (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        default:
            return MailError(
                code: "smtp_failed", message: "El envío de correo falló (\(detail)).",
                isPermanent: false, responseCode: reply
            )
        }
    }
}
