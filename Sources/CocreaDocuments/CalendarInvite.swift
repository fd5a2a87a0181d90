import Foundation

/// An iCalendar (RFC 5545) invitation to a dialogue table. The UID stays the same for the life of
/// the table; each reschedule raises SEQUENCE, so calendar programs update the event in place, and a
/// cancellation uses METHOD:CANCEL with the same UID.
public struct CalendarInvite: Sendable, Equatable {
    public enum Method: String, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    public struct Person: Sendable, Equatable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public var uid: String
    public var sequence: Int
    public var method: Method
    public var summary: String
    public var description: String
    public var location: String
    public var start: Date
    public var end: Date
    public var stamp: Date
    public var organizer: Person
    public var attendees: [Person]

    public init(
        uid: String, sequence: Int, method: Method, summary: String, description: String, location: String,
        start: Date, end: Date, stamp: Date, organizer: Person, attendees: [Person]
    ) {
        self.uid = uid
        self.sequence = sequence
        self.method = method
        self.summary = summary
        self.description = description
        self.location = location
        self.start = start
        self.end = end
        self.stamp = stamp
        self.organizer = organizer
        self.attendees = attendees
    }

    /// The media type to attach it with.
    public var mediaType: String { "text/calendar; method=\(method.rawValue); charset=UTF-8" }

    /// The calendar text, CRLF line endings, lines folded at 75 octets.
    public func rendered() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Cocrea//Mesa de dialogo//ES",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
            "BEGIN:VEVENT",
            "UID:\(Self.escape(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(Self.utc(stamp))",
            "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(end))",
            "SUMMARY:\(Self.escape(summary))",
            "LOCATION:\(Self.escape(location))",
            "DESCRIPTION:\(Self.escape(description))",
            "STATUS:\(method == .cancel ? "CANCELLED" : "CONFIRMED")",
            "ORGANIZER;CN=\(Self.quoted(organizer.name)):mailto:\(organizer.email)",
        ]
        for attendee in attendees {
            lines.append("ATTENDEE;CN=\(Self.quoted(attendee.name));ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:\(attendee.email)")
        }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default:
                // Other control characters have no place in a calendar line.
                if character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) { out.append(character) }
            }
        }
        return out
    }

    /// Parameter values are quoted; a double quote cannot appear inside them at all.
    static func quoted(_ text: String) -> String {
        "\"" + String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" })) + "\""
    }

    /// Folds a content line so no physical line exceeds 75 octets, never splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var result = ""
        var current = 0
        var limit = 75
        for character in line {
            let size = String(character).utf8.count
            if current + size > limit {
                result += "\r\n "
                current = 0
                limit = 74
            }
            result.append(character)
            current += size
        }
        return result
    }
}
