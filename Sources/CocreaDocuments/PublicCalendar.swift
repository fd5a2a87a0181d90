import CocreaCore
import Foundation

/// An exercise's public calendar to subscribe to (RFC 5545): one VEVENT per roadmap event and per
/// mesa. Each keeps its UID for life and raises SEQUENCE when it moves, so a subscribed calendar
/// updates it in place; a withdrawn or cancelled one stays, marked CANCELLED, so it is taken out.
/// Text escaping and line folding are the invitations' (`CalendarInvite`).
public struct PublicCalendar: Sendable, Equatable {
    public enum When: Sendable, Equatable {
        /// Whole calendar days, both inclusive (written as VALUE=DATE, the end exclusive).
        case days(LocalDate, LocalDate)
        case instants(Date, Date)
    }

    public struct Event: Sendable, Equatable {
        public var uid: String
        public var sequence: Int
        public var stamp: Date
        public var when: When
        public var summary: String
        public var description: String
        public var location: String
        public var url: String
        public var cancelled: Bool

        public init(
            uid: String, sequence: Int, stamp: Date, when: When, summary: String, description: String,
            location: String, url: String, cancelled: Bool
        ) {
            self.uid = uid
            self.sequence = sequence
            self.stamp = stamp
            self.when = when
            self.summary = summary
            self.description = description
            self.location = location
            self.url = url
            self.cancelled = cancelled
        }
    }

    public var name: String
    public var events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    public static let mediaType = "text/calendar; charset=UTF-8"

    /// The calendar text, CRLF line endings, lines folded at 75 octets.
    public func rendered() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Cocrea//Ejercicio publico//ES",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(CalendarInvite.escape(name))",
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(CalendarInvite.escape(event.uid))",
                "SEQUENCE:\(event.sequence)",
                "DTSTAMP:\(CalendarInvite.utc(event.stamp))",
            ]
            switch event.when {
            case .days(let first, let last):
                lines.append("DTSTART;VALUE=DATE:\(Self.basic(first))")
                lines.append("DTEND;VALUE=DATE:\(Self.basic(last.adding(days: 1)))")
            case .instants(let start, let end):
                lines.append("DTSTART:\(CalendarInvite.utc(start))")
                lines.append("DTEND:\(CalendarInvite.utc(end))")
            }
            lines += [
                "SUMMARY:\(CalendarInvite.escape(event.summary))",
                "DESCRIPTION:\(CalendarInvite.escape(event.description))",
                "LOCATION:\(CalendarInvite.escape(event.location))",
                "URL:\(event.url)",
                "STATUS:\(event.cancelled ? "CANCELLED" : "CONFIRMED")",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(CalendarInvite.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func basic(_ date: LocalDate) -> String {
        String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }
}

/// An exercise's news as an Atom feed (RFC 4287). Entry ids are IRIs built from what they tell of,
/// so they never change between readings.
public struct AtomFeed: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var title: String
        public var summary: String
        public var link: String
        public var updated: Date

        public init(id: String, title: String, summary: String, link: String, updated: Date) {
            self.id = id
            self.title = title
            self.summary = summary
            self.link = link
            self.updated = updated
        }
    }

    public var id: String
    public var title: String
    public var link: String
    public var selfLink: String
    public var author: String
    /// The language its text is written in (`xml:lang`), e.g. "es-MX".
    public var language: String
    /// Newest first.
    public var entries: [Entry]

    public init(id: String, title: String, link: String, selfLink: String, author: String, language: String, entries: [Entry]) {
        self.id = id
        self.title = title
        self.link = link
        self.selfLink = selfLink
        self.author = author
        self.language = language
        self.entries = entries.sorted { ($0.updated, $0.id) > ($1.updated, $1.id) }
    }

    public static let mediaType = "application/atom+xml; charset=utf-8"

    public func rendered(now: Date) -> String {
        let updated = entries.first?.updated ?? now
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(Self.escape(language))">
              <id>\(Self.escape(id))</id>
              <title>\(Self.escape(title))</title>
              <updated>\(Self.time(updated))</updated>
              <link rel="alternate" type="text/html" href="\(Self.escape(link))"/>
              <link rel="self" type="application/atom+xml" href="\(Self.escape(selfLink))"/>
              <author><name>\(Self.escape(author))</name></author>

            """
        for entry in entries {
            xml += """
                  <entry>
                    <id>\(Self.escape(entry.id))</id>
                    <title>\(Self.escape(entry.title))</title>
                    <updated>\(Self.time(entry.updated))</updated>
                    <link rel="alternate" type="text/html" href="\(Self.escape(entry.link))"/>
                    <summary>\(Self.escape(entry.summary))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Text and attribute values: markup characters escaped, characters XML 1.0 forbids left out.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
