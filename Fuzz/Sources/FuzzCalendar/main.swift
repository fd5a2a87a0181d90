import CocreaCore
import CocreaDocuments
import Foundation
import FuzzInput

/// A dialogue table's invitation built from what members typed (title, place, agenda, names):
/// whatever the text, the calendar keeps its lines (CRLF only, at most 75 octets each, the same
/// properties in the same order), so no text can add a property or an attendee.
Fuzzer.run { (input: inout FuzzInput) in
    let numbers = input.field() + Array(repeating: 0, count: 8)
    // The app's own values: times within a century of 2026, addresses as the account forms take them.
    let start = Date(timeIntervalSince1970: 1_780_000_000 + Double(Int16(bitPattern: UInt16(numbers[0]) << 8 | UInt16(numbers[1]))) * 86_400)
    func person() -> CalendarInvite.Person? {
        let name = input.text()
        let email = input.text()
        var check = Validator()
        let address = check.email(email)
        return check.errors.isEmpty ? CalendarInvite.Person(name: name, email: address) : nil
    }
    let uid = input.text()
    let summary = input.text()
    let description = input.text()
    let location = input.text()
    let organizer = person() ?? CalendarInvite.Person(name: "Secretariado Técnico Local", email: "stl@cocrea.example")
    var attendees: [CalendarInvite.Person] = []
    while attendees.count < 4, let attendee = person() { attendees.append(attendee) }
    let invite = CalendarInvite(
        uid: uid, sequence: Int(numbers[2]), method: numbers[3] & 1 == 0 ? .request : .cancel,
        summary: summary, description: description, location: location,
        start: start, end: start + Double(numbers[4]) * 900, stamp: start - 86_400,
        organizer: organizer, attendees: attendees)
    let text = Array(invite.rendered().utf8)

    guard text.count >= 2, text.suffix(2) == [13, 10] else { FuzzInput.violated("the calendar ends with CRLF") }
    var physical: [[UInt8]] = []
    var line: [UInt8] = []
    var index = 0
    while index < text.count {
        let byte = text[index]
        if byte == 13 {
            guard index + 1 < text.count, text[index + 1] == 10 else { FuzzInput.violated("CR only before LF", "at \(index)") }
            physical.append(line)
            line = []
            index += 2
            continue
        }
        guard byte != 10 else { FuzzInput.violated("LF only after CR", "at \(index)") }
        guard byte >= 0x20 && byte != 0x7F else { FuzzInput.violated("no control characters in a line", "\(byte) at \(index)") }
        line.append(byte)
        index += 1
    }
    for line in physical where line.count > 75 { FuzzInput.violated("lines are folded at 75 octets", "\(line.count)") }
    let logical = physical.filter { $0.first != 0x20 }.map {
        String(decoding: $0.prefix(while: { $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: ";") }), as: UTF8.self)
    }
    let expected =
        [
            "BEGIN", "PRODID", "VERSION", "CALSCALE", "METHOD", "BEGIN", "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND",
            "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "ORGANIZER",
        ] + attendees.map { _ in "ATTENDEE" } + ["END", "END"]
    guard logical == expected else { FuzzInput.violated("text adds no property", "\(logical)") }
}
