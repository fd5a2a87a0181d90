import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

@Suite struct CalendarInviteTests {
    let invite = CalendarInvite(
        uid: "mesa-3f1c@cocrea", sequence: 2, method: .request,
        summary: "Mesa de diálogo — Ejercicio local de gobierno abierto Jalisco 2026",
        description: "Introducción, análisis de la problemática y soluciones; acuerdos, y seguimiento.\nTraer el expediente previo.",
        location: "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara",
        start: Date(timeIntervalSince1970: 1_796_054_400), end: Date(timeIntervalSince1970: 1_796_065_200),
        stamp: Date(timeIntervalSince1970: 1_795_000_000),
        organizer: .init(name: "Secretariado Técnico Local", email: "stl@cocrea.example"),
        attendees: [
            .init(name: "Dra. María Fernanda López Castañeda", email: "mf.lopez@salud-jalisco.example"),
            .init(name: "Carlos Mendoza Íñiguez", email: "carlos@observatorio-salud.example"),
        ])

    @Test func linesAreFoldedAtSeventyFiveOctetsWithCRLF() {
        let text = invite.rendered()
        #expect(text.hasSuffix("\r\n"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
        }
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func textValuesAreEscaped() {
        let unfolded = invite.rendered().replacingOccurrences(of: "\r\n ", with: "")
        #expect(
            unfolded.contains(
                "DESCRIPTION:Introducción\\, análisis de la problemática y soluciones\\; acuerdos\\, y seguimiento.\\nTraer el expediente previo."))
        #expect(unfolded.contains("LOCATION:Auditorio del ITEI\\, Av. Ignacio L. Vallarta 1312\\, Guadalajara"))
    }

    @Test func cancellationKeepsTheUIDAndSaysCancel() {
        var cancel = invite
        cancel.method = .cancel
        cancel.sequence = 3
        let text = cancel.rendered()
        #expect(text.contains("METHOD:CANCEL"))
        #expect(text.contains("STATUS:CANCELLED"))
        #expect(text.contains("UID:mesa-3f1c@cocrea"))
        #expect(cancel.mediaType == "text/calendar; method=CANCEL; charset=UTF-8")
    }

    /// A calendar library that programs use (Python's icalendar) reads it back with every field intact.
    @Test func anIndependentCalendarParserReadsItBack() async throws {
        let path = NSTemporaryDirectory() + "mesa-\(UUID().uuidString).ics"
        try invite.rendered().write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import icalendar, sys
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            ev = [c for c in cal.walk('VEVENT')][0]
            print(cal['METHOD']); print(ev['UID']); print(ev['SEQUENCE']); print(ev['SUMMARY'])
            print(ev['DTSTART'].dt.isoformat()); print(ev['LOCATION']); print(len(ev['ATTENDEE']))
            """
        let parsed = try await Tool.run("python3", ["-c", script, path])
        #expect(parsed.status == 0)
        let lines = parsed.output.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "REQUEST", "mesa-3f1c@cocrea", "2", "Mesa de diálogo — Ejercicio local de gobierno abierto Jalisco 2026",
                "2026-11-30T16:00:00+00:00", "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara", "2",
            ])
    }
}
