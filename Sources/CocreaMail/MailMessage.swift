import CocreaCore
import Foundation

/// A mailbox: `Secretariado Técnico Local <stl@cocrea.example>`.
public struct MailAddress: Sendable, Hashable {
    public var name: String?
    public var email: String

    public init(email: String, name: String? = nil) {
        self.email = email
        self.name = name
    }
}

public struct MailAttachment: Sendable, Hashable {
    public var filename: String
    /// The full Content-Type, parameters included, e.g. `application/pdf` or
    /// `text/calendar; method=REQUEST; charset=UTF-8`.
    public var mediaType: String
    public var data: Data

    public init(filename: String, mediaType: String, data: Data) {
        self.filename = filename
        self.mediaType = mediaType
        self.data = data
    }
}

/// An email, rendered to RFC 5322 / MIME bytes by `rendered()`.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var textBody: String
    public var htmlBody: String?
    public var attachments: [MailAttachment]
    /// With angle brackets, e.g. `<5F0C…@cocrea.example>`.
    public var messageID: String
    public var date: Date

    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        textBody: String,
        htmlBody: String? = nil,
        attachments: [MailAttachment] = [],
        messageID: String? = nil,
        date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.attachments = attachments
        self.messageID = messageID ?? MailMessage.newMessageID(from: from.email)
        self.date = date
    }

    static func newMessageID(from email: String) -> String {
        let domain = email.split(separator: "@").last.map { String($0).lowercased() } ?? ""
        let safeDomain = domain.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        let host = email.contains("@") && !safeDomain.isEmpty ? safeDomain : "cocrea.local"
        return "<\(UUID().uuidString.lowercased())@\(host)>"
    }

    /// The whole message with CRLF line endings, ready for SMTP DATA.
    /// Everything but the multipart boundaries is determined by the fields.
    public func rendered() -> Data {
        var headers = [
            "Date: " + MIME.dateHeader(date),
            MIME.fold(name: "From", MIME.addressListChunks([from])),
        ]
        if !to.isEmpty {
            headers.append(MIME.fold(name: "To", MIME.addressListChunks(to)))
        }
        headers.append(MIME.fold(name: "Subject", MIME.unstructuredChunks(subject)))
        headers.append("Message-ID: " + MIME.sanitizedMessageID(messageID))
        headers.append("MIME-Version: 1.0")

        var body = MIME.textPart(textBody, subtype: "plain")
        if let htmlBody {
            body = MIME.multipart("alternative", [body, MIME.textPart(htmlBody, subtype: "html")])
        }
        if !attachments.isEmpty {
            body = MIME.multipart("mixed", [body] + attachments.map(MIME.attachmentPart))
        }

        var bytes = [UInt8]()
        for header in headers + body.headers {
            bytes.append(contentsOf: Array(header.utf8))
            bytes.append(contentsOf: MIME.crlf)
        }
        bytes.append(contentsOf: MIME.crlf)
        bytes.append(contentsOf: body.body)
        bytes.append(contentsOf: MIME.crlf)
        return Data(bytes)
    }
}

/// MIME encoding rules (RFC 2045–2047, 2231, 5322), kept apart from the message fields.
enum MIME {
    static let crlf: [UInt8] = [13, 10]
    /// Lines are kept to 76 characters, the limit RFC 2045 sets for encoded bodies.
    static let maxLine = 76

    /// A MIME entity: its header lines (already folded) and its body, which
    /// does not end with CRLF (the CRLF before a boundary belongs to the boundary).
    struct Part {
        var headers: [String]
        var body: [UInt8]

        var serialized: [UInt8] {
            var bytes = [UInt8]()
            for header in headers {
                bytes.append(contentsOf: Array(header.utf8))
                bytes.append(contentsOf: crlf)
            }
            bytes.append(contentsOf: crlf)
            bytes.append(contentsOf: body)
            return bytes
        }
    }

    // MARK: Parts

    static func textPart(_ text: String, subtype: String) -> Part {
        Part(
            headers: [
                "Content-Type: text/\(subtype); charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
            ],
            body: quotedPrintable(Array(text.utf8))
        )
    }

    static func attachmentPart(_ attachment: MailAttachment) -> Part {
        let mediaType = attachment.mediaType
            .split(separator: ";")
            .map { withoutLineBreaks(String($0)).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let typeAndParameters = mediaType.isEmpty ? ["application/octet-stream"] : mediaType
        return Part(
            headers: [
                fold(name: "Content-Type", parameterList(typeAndParameters, parameterChunks("name", attachment.filename))),
                "Content-Transfer-Encoding: base64",
                fold(name: "Content-Disposition", parameterList(["attachment"], parameterChunks("filename", attachment.filename))),
            ],
            body: base64Lines(attachment.data)
        )
    }

    static func multipart(_ subtype: String, _ parts: [Part]) -> Part {
        let contents = parts.map(\.serialized)
        var boundary: [UInt8]
        repeat {
            // "=_" cannot occur in quoted-printable or base64 output; the check makes sure anyway.
            boundary = Array("=_cocrea_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))".utf8)
        } while contents.contains(where: { contains($0, boundary) })

        var body = [UInt8]()
        for content in contents {
            body += Array("--".utf8) + boundary + crlf
            body += content
            body += crlf
        }
        body += Array("--".utf8) + boundary + Array("--".utf8)
        let boundaryText = String(decoding: boundary, as: UTF8.self)
        return Part(
            headers: [fold(name: "Content-Type", ["multipart/\(subtype);", "boundary=\"\(boundaryText)\""])],
            body: body
        )
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    // MARK: Body encodings

    /// Quoted-printable (RFC 2045 §6.7) with every line break normalised to CRLF.
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 || byte == 10 {
                lines.append(bytes[lineStart..<index])
                index += (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) ? 2 : 1
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[lineStart..<bytes.count])

        var output = [UInt8]()
        for (number, line) in lines.enumerated() {
            if number > 0 { output += crlf }
            var lineLength = 0
            for position in line.indices {
                let byte = line[position]
                let isLast = position == line.index(before: line.endIndex)
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                let token = literal ? [byte] : hexEscape(byte, prefix: 61)
                // A soft break "=" keeps each encoded line within 76 characters.
                if lineLength + token.count > maxLine - 1 {
                    output += [61] + crlf
                    lineLength = 0
                }
                output += token
                lineLength += token.count
            }
        }
        return output
    }

    static func base64Lines(_ data: Data) -> [UInt8] {
        let encoded = Array(data.base64EncodedString().utf8)
        var output = [UInt8]()
        var start = 0
        while start < encoded.count {
            if start > 0 { output += crlf }
            output += encoded[start..<min(start + maxLine, encoded.count)]
            start += maxLine
        }
        return output
    }

    static func hexEscape(_ byte: UInt8, prefix: UInt8) -> [UInt8] {
        let (high, low) = Hex.digits(of: byte, uppercase: true)
        return [prefix, high, low]
    }

    // MARK: Headers

    /// Joins chunks with single spaces, folding (CRLF + space) before a chunk
    /// when the line would pass 76 characters.
    static func fold(name: String, _ chunks: [String]) -> String {
        var result = name + ":"
        var lineLength = result.count
        for chunk in chunks {
            // A folded line must not be whitespace alone, so empty chunks stay put.
            if lineLength + 1 + chunk.count > maxLine && !chunk.isEmpty && lineLength > name.count + 1 {
                result += "\r\n"
                lineLength = 0
            }
            result += " " + chunk
            lineLength += 1 + chunk.count
        }
        return result
    }

    /// Free text such as Subject: plain words when they are safe ASCII,
    /// otherwise RFC 2047 encoded-words.
    static func unstructuredChunks(_ text: String) -> [String] {
        let text = withoutLineBreaks(text)
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if isPlainText(text) && words.allSatisfy({ $0.count <= maxLine - 10 }) {
            return words
        }
        return encodedWords(text)
    }

    static func addressListChunks(_ addresses: [MailAddress]) -> [String] {
        var chunks = [String]()
        for (number, address) in addresses.enumerated() {
            var addressChunks = mailboxChunks(address)
            if number < addresses.count - 1 {
                addressChunks[addressChunks.count - 1] += ","
            }
            chunks += addressChunks
        }
        return chunks
    }

    static func mailboxChunks(_ address: MailAddress) -> [String] {
        let email = withoutLineBreaks(address.email).filter { $0 != " " && $0 != "<" && $0 != ">" }
        let name = withoutLineBreaks(address.name ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty {
            return [email]
        }
        return phraseChunks(name) + ["<\(email)>"]
    }

    /// A display name as RFC 5322 allows it: bare words, a quoted string, or encoded-words.
    static func phraseChunks(_ name: String) -> [String] {
        guard isPlainText(name) else { return encodedWords(name) }
        let atext = CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ ").union(asciiAlphanumerics)
        if name.unicodeScalars.allSatisfy(atext.contains) {
            return name.split(separator: " ").map(String.init)
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"\(escaped)\""]
    }

    static let asciiAlphanumerics = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// Printable ASCII that a decoder cannot mistake for an encoded-word.
    static func isPlainText(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 32 && $0 <= 126 } && !text.contains("=?")
    }

    /// RFC 2047 "Q" encoded-words restricted to the characters allowed in a
    /// phrase (§5(3)), so the same words serve Subject and display names. Each
    /// word holds whole characters and fits after "Subject: " on one line.
    static func encodedWords(_ text: String) -> [String] {
        let prefix = "=?UTF-8?Q?"
        let suffix = "?="
        let capacity = maxLine - "Subject: ".count - prefix.count - suffix.count
        let safe = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*+-/".utf8))

        var words = [String]()
        var current = ""
        for character in text {
            var encoded = ""
            for byte in character.utf8 {
                if byte == 32 {
                    encoded += "_"
                } else if safe.contains(byte) {
                    encoded += String(UnicodeScalar(byte))
                } else {
                    encoded += String(decoding: hexEscape(byte, prefix: 61), as: UTF8.self)
                }
            }
            if !current.isEmpty && current.count + encoded.count > capacity {
                words.append(prefix + current + suffix)
                current = ""
            }
            current += encoded
        }
        if !current.isEmpty || words.isEmpty {
            words.append(prefix + current + suffix)
        }
        return words
    }

    /// `type/subtype;` `a=b;` `name="x"` as chunks for `fold`.
    static func parameterList(_ leading: [String], _ parameter: [String]) -> [String] {
        let all = leading + parameter
        return all.enumerated().map { $0.offset < all.count - 1 ? $0.element + ";" : $0.element }
    }

    /// A parameter value: quoted when short printable ASCII, otherwise RFC 2231
    /// UTF-8 percent-encoding, split into numbered sections when long.
    static func parameterChunks(_ name: String, _ value: String) -> [String] {
        let sectionLength = 50
        if isPlainText(value) && value.count <= sectionLength {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ["\(name)=\"\(escaped)\""]
        }
        let attributeChars = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8))
        var sections = [String]()
        var current = ""
        for character in value {
            // Whole characters per section: some readers decode each section on its own.
            let token = character.utf8.map { byte in
                attributeChars.contains(byte)
                    ? String(UnicodeScalar(byte))
                    : String(decoding: hexEscape(byte, prefix: 37), as: UTF8.self)
            }.joined()
            if !current.isEmpty && current.count + token.count > sectionLength {
                sections.append(current)
                current = ""
            }
            current += token
        }
        sections.append(current)
        if sections.count == 1 {
            return ["\(name)*=UTF-8''\(sections[0])"]
        }
        return sections.enumerated().map { number, section in
            number == 0 ? "\(name)*0*=UTF-8''\(section)" : "\(name)*\(number)*=\(section)"
        }
    }

    static func withoutLineBreaks(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    static func sanitizedMessageID(_ id: String) -> String {
        let bare = id.filter { !$0.isWhitespace && $0 != "<" && $0 != ">" }
        return "<\(bare)>"
    }

    /// RFC 5322 date in UTC with English names, e.g. `Tue, 04 Mar 2025 09:05:00 +0000`.
    static func dateHeader(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(days[(parts.weekday ?? 1) - 1]), \(padded(parts.day, 2)) \(months[(parts.month ?? 1) - 1]) "
            + "\(padded(parts.year, 4)) \(padded(parts.hour, 2)):\(padded(parts.minute, 2)):\(padded(parts.second, 2)) +0000"
    }
}
