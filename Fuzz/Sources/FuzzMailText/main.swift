import CocreaCore
import Foundation
import FuzzInput

/// An email built from what members typed (names, a subject with an item's title, the text, an
/// attachment's file name): whatever the text, the message keeps its shape (CRLF only, lines within
/// RFC 5322's 998 octets, the same headers once each, a 7-bit body), so no text adds a header or a part.
Fuzzer.run { (input: inout FuzzInput) in
    let flags = input.field().first ?? 0
    func address() -> MailAddress? {
        let name = input.text()
        let email = input.text()
        var check = Validator()
        let address = check.email(email)
        return check.errors.isEmpty ? MailAddress(email: address, name: name.isEmpty ? nil : name) : nil
    }
    let from = address() ?? MailAddress(email: "stl@cocrea.example", name: "Cocrea")
    var to: [MailAddress] = []
    while to.count < 3, let recipient = address() { to.append(recipient) }
    let subject = input.text()
    let text = input.text()
    let html = flags & 1 == 1 ? input.text() : nil
    let attachments = flags & 2 == 2 ? [MailAttachment(filename: input.text(), mediaType: "application/pdf", data: Data(input.field()))] : []
    let message = MailMessage(
        from: from, to: to, subject: subject, textBody: text, htmlBody: html, attachments: attachments,
        messageID: "<fuzz@cocrea.example>", date: Date(timeIntervalSince1970: 1_780_000_000))
    let bytes = [UInt8](message.rendered())

    var lines: [[UInt8]] = []
    var line: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == 13 {
            guard index + 1 < bytes.count, bytes[index + 1] == 10 else { FuzzInput.violated("CR only before LF", "at \(index)") }
            lines.append(line)
            line = []
            index += 2
            continue
        }
        guard bytes[index] != 10 else { FuzzInput.violated("LF only after CR", "at \(index)") }
        line.append(bytes[index])
        index += 1
    }
    guard line.isEmpty else { FuzzInput.violated("the message ends with CRLF") }
    for line in lines where line.count > 998 { FuzzInput.violated("no line passes 998 octets", "\(line.count)") }
    guard let blank = lines.firstIndex(where: \.isEmpty) else { FuzzInput.violated("headers end with a blank line") }
    let names = lines[..<blank].filter { $0.first != 0x20 && $0.first != 0x09 }
        .map { String(decoding: $0.prefix(while: { $0 != UInt8(ascii: ":") }), as: UTF8.self) }
    let expected =
        ["Date", "From"] + (to.isEmpty ? [] : ["To"]) + ["Subject", "Message-ID", "MIME-Version", "Content-Type"]
        + (html == nil && attachments.isEmpty ? ["Content-Transfer-Encoding"] : [])
    guard names == expected else { FuzzInput.violated("text adds no header", "\(names)") }
    guard lines[blank...].allSatisfy({ $0.allSatisfy { $0 < 0x80 } }) else { FuzzInput.violated("the body is 7-bit") }
    let boundaries = lines[blank...].filter { $0.starts(with: Array("--=_cocrea_".utf8)) }.count
    // A delimiter line per part and a closing one, for the alternative (text and HTML) and the mixed (body and files).
    let expectedBoundaries = (html == nil ? 0 : 3) + (attachments.isEmpty ? 0 : attachments.count + 2)
    guard boundaries == expectedBoundaries else { FuzzInput.violated("text adds no part", "\(boundaries) boundaries") }
}
