import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Rule D10 enforced end to end: the dossier is sent, each member opens their personal link, and a
/// table can be scheduled only 10 full days (exercise time) after the last of them.
@Suite struct DossierWindowFlowTests {
    struct Problem: Decodable {
        var code: String
        var detail: String
        var earliestValidDate: String?
        var holdingBack: [UUID]?
    }

    static let mexicoCity = TimeZone(identifier: "America/Mexico_City")!

    static func local(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = mexicoCity
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    static func rfc3339(_ text: String) -> String {
        ISO8601DateFormatter().string(from: local(text))
    }

    /// The receipt links in the outbox, by recipient email, from the newest mail of a kind.
    static func links(kind: String, on app: Application) async throws -> [String: String] {
        var links: [String: String] = [:]
        for delivery in try await Delivery.query(on: app.db).filter(\.$kind == kind).sort(\.$createdAt).all() {
            let raw = String(decoding: delivery.message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
            if let range = raw.range(of: #"/receipts/[A-Za-z0-9_\-]+"#, options: .regularExpression) {
                links[delivery.toEmail] = String(raw[range])
            }
        }
        return links
    }

    private func setUp(_ app: Application, clock: TestClock) async throws -> (Fixture, APIClient, String) {
        let fixture = try await Fixture.make(on: app)
        let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
        let base = "/api/v1/exercises/\(fixture.exercise.id!)"
        let item = try await facilitator.send(
            .POST, base + "/dossier/items",
            json: """
                {"kind": "problem", "title": "Desabasto de medicamentos en centros de salud", "body": "Recetas surtidas de forma incompleta.", "source": "Evento de arranque"}
                """)
        #expect(item.status == .created)
        return (fixture, facilitator, base)
    }

    private func everyoneOpens(at text: String, clock: TestClock, app: Application, kind: String = "dossier") async throws {
        clock.set(Self.local(text))
        for (_, link) in try await Self.links(kind: kind, on: app) {
            let response = try await Browser(app: app).get(link)
            #expect(response.status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tableExactlyTenDaysAfterTheLastReceiptIsAcceptedAndOneMinuteShortIsRefused(database: TestDatabase) async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(database, clock: clock) { app in
            let (_, facilitator, base) = try await setUp(app, clock: clock)
            let sent = try await facilitator.send(.POST, base + "/dossier/distributions")
            #expect(sent.status == .created)
            #expect(try await Delivery.query(on: app.db).filter(\.$kind == "dossier").count() == 4)

            let before = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-20 10:00"))", "place": "Sala de juntas del ITEI"}"#)
            #expect(before.status == .unprocessableEntity)
            let nobody = try JSONDecoder.api.decode(Problem.self, from: before.body)
            #expect(nobody.code == "dossier_window")
            #expect(nobody.holdingBack?.count == 4)
            #expect(nobody.earliestValidDate == nil)

            try await everyoneOpens(at: "2026-12-01 23:59", clock: clock, app: app)
            let status = try await facilitator.send(.GET, base + "/dossier/status")
            let statusJSON = try JSONSerialization.jsonObject(with: Data(buffer: status.body)) as! [String: Any]
            #expect(statusJSON["earliestValidDate"] as? String == "2026-12-11")
            #expect(statusJSON["currentVersion"] as? Int == 1)
            #expect((statusJSON["holdingBack"] as? [Any])?.isEmpty == true)

            let short = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-10 23:59"))", "place": "Sala de juntas del ITEI"}"#)
            #expect(short.status == .unprocessableEntity)
            let refused = try JSONDecoder.api.decode(Problem.self, from: short.body)
            #expect(refused.earliestValidDate == "2026-12-11")
            #expect(refused.detail.contains("viernes 11 de diciembre de 2026"))

            let exact = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-11 00:00"))", "place": "Sala de juntas del ITEI"}"#)
            #expect(exact.status == .created, "\(exact.body.string)")
            #expect(try await Roundtable.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func lateItemResetsTheClockUntilTheNewVersionIsReceived(database: TestDatabase) async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(database, clock: clock) { app in
            let (_, facilitator, base) = try await setUp(app, clock: clock)
            _ = try await facilitator.send(.POST, base + "/dossier/distributions")
            try await everyoneOpens(at: "2026-11-26 10:00", clock: clock, app: app)

            clock.set(Self.local("2026-11-30 12:00"))
            let late = try await facilitator.send(
                .POST, base + "/dossier/items",
                json: """
                    {"kind": "statistic", "title": "Quejas por falta de medicamentos 2026", "body": "1,284 quejas en ventanilla."}
                    """)
            #expect(late.status == .created)
            let items = try await facilitator.send(.GET, base + "/dossier/items")
            let lateFlags = try JSONDecoder.api.decode([DossierItemDTO].self, from: items.body).map(\.late)
            #expect(lateFlags == [false, true], "material added after the sending is flagged as late")

            let refused = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-15 10:00"))", "place": "Sala"}"#)
            #expect(try JSONDecoder.api.decode(Problem.self, from: refused.body).code == "dossier_window")

            let second = try await facilitator.send(.POST, base + "/dossier/distributions")
            #expect(try JSONDecoder.api.decode(DistributionDTO.self, from: second.body).version == 2)
            try await everyoneOpens(at: "2026-12-02 00:00", clock: clock, app: app)
            let status = try await facilitator.send(.GET, base + "/dossier/status")
            #expect(try JSONDecoder.api.decode(DossierStatusDTO.self, from: status.body).earliestValidDate == LocalDate(year: 2026, month: 12, day: 12))
        }
    }

    @Test(arguments: TestDatabase.all)
    func memberAddedAfterTheSendingHoldsTheTableBackUntilTheyReceiveIt(database: TestDatabase) async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(database, clock: clock) { app in
            let (_, facilitator, base) = try await setUp(app, clock: clock)
            _ = try await facilitator.send(.POST, base + "/dossier/distributions")
            try await everyoneOpens(at: "2026-11-26 10:00", clock: clock, app: app)

            let invited = try await facilitator.send(
                .POST, base + "/members",
                json: """
                    {"name": "Rosa Elena Ortiz Medina", "email": "rosa.ortiz@redmujeres.example", "sector": "civilSociety", "organization": "Red de Mujeres por la Transparencia A.C."}
                    """)
            let rosa = try JSONDecoder.api.decode(MemberDTO.self, from: invited.body)
            let status = try JSONDecoder.api.decode(DossierStatusDTO.self, from: try await facilitator.send(.GET, base + "/dossier/status").body)
            #expect(status.holdingBack == [rosa.id!])
            #expect(status.earliestValidDate == nil)

            let resent = try JSONDecoder.api.decode(DistributionDTO.self, from: try await facilitator.send(.POST, base + "/dossier/distributions").body)
            #expect(resent.version == 1, "the same version, sent only to whoever lacks it")
            #expect(resent.recipients == [rosa.id!])

            clock.set(Self.local("2026-11-28 08:00"))
            let link = try #require(try await Self.links(kind: "dossier", on: app)["rosa.ortiz@redmujeres.example"])
            let api = APIClient(app: app, token: nil)
            let acknowledged = try await api.send(.POST, "/api/v1" + link)
            #expect(acknowledged.status == .ok)
            let after = try JSONDecoder.api.decode(DossierStatusDTO.self, from: try await facilitator.send(.GET, base + "/dossier/status").body)
            #expect(after.holdingBack.isEmpty)
            #expect(after.earliestValidDate == LocalDate(year: 2026, month: 12, day: 8))

            let again = try await facilitator.send(.POST, base + "/dossier/distributions")
            #expect(again.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all)
    func openingTheTableRechecksTheRuleAndStagesRunInOrder(database: TestDatabase) async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(database, clock: clock) { app in
            let (_, facilitator, base) = try await setUp(app, clock: clock)
            _ = try await facilitator.send(.POST, base + "/dossier/distributions")
            try await everyoneOpens(at: "2026-11-26 10:00", clock: clock, app: app)
            let created = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-07 10:00"))", "place": "Sala del ITEI"}"#)
            let table = try JSONDecoder.api.decode(RoundtableDTO.self, from: created.body)
            let stage = "/api/v1/roundtables/\(table.id!)/stage"

            clock.set(Self.local("2026-12-01 12:00"))
            _ = try await facilitator.send(.POST, base + "/dossier/items", json: #"{"kind": "study", "title": "Estudio tardío", "body": "Llegó después."}"#)
            clock.set(Self.local("2026-12-07 10:00"))
            let heldBack = try await facilitator.send(.POST, stage, json: #"{"stage": "introduction"}"#)
            #expect(heldBack.status == .unprocessableEntity, "a late item holds the opening back")
            #expect(heldBack.body.string.contains("dossier_window"))

            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                try await DossierItem.query(on: tx).filter(\.$title == "Estudio tardío").delete()
            }
            let opened = try await facilitator.send(.POST, stage, json: #"{"stage": "introduction"}"#)
            #expect(opened.status == .ok, "\(opened.body.string)")
            #expect(try JSONDecoder.api.decode(RoundtableDTO.self, from: opened.body).stage == .introduction)
            let skipped = try await facilitator.send(.POST, stage, json: #"{"stage": "agreements"}"#)
            #expect(skipped.status == .conflict)
            #expect(skipped.body.string.contains("la etapa siguiente es «Análisis de la problemática y soluciones»"))
            #expect(try await facilitator.send(.POST, stage, json: #"{"stage": "analysis"}"#).status == .ok)
        }
    }

    @Test func remindersGoOnlyToWhoHasNotOpenedAndNeverAsAnEmptyMail() async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(.sqlite, clock: clock) { app in
            let (fixture, facilitator, base) = try await setUp(app, clock: clock)
            _ = try await facilitator.send(.POST, base + "/dossier/distributions")
            let links = try await Self.links(kind: "dossier", on: app)
            for (email, link) in links where email != fixture.members["institution"]!.email {
                _ = try await Browser(app: app).get(link)
            }
            struct Reminded: Decodable { var recipients: [UUID] }
            let first = try JSONDecoder.api.decode(Reminded.self, from: try await facilitator.send(.POST, base + "/dossier/reminders").body)
            #expect(first.recipients.count == 1)
            let reminders = try await Delivery.query(on: app.db).filter(\.$kind == "dossierReminder").all()
            #expect(reminders.map(\.toEmail) == [fixture.members["institution"]!.email])

            let firstLink = try #require(links[fixture.members["institution"]!.email])
            #expect(try await Browser(app: app).get(firstLink).status == .ok, "the first link still works after a reminder")
            #expect(try await Browser(app: app).get(try #require(try await Self.links(kind: "dossierReminder", on: app).values.first)).status == .ok)
            let second = try JSONDecoder.api.decode(Reminded.self, from: try await facilitator.send(.POST, base + "/dossier/reminders").body)
            #expect(second.recipients.isEmpty)
            #expect(try await Delivery.query(on: app.db).filter(\.$kind == "dossierReminder").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func schedulingReschedulingAndCancellingSendOneCalendarEventWithOneUID(database: TestDatabase) async throws {
        let clock = TestClock(Self.local("2026-11-25 09:00"))
        try await withCocrea(database, clock: clock) { app in
            let (_, facilitator, base) = try await setUp(app, clock: clock)
            _ = try await facilitator.send(.POST, base + "/dossier/distributions")
            try await everyoneOpens(at: "2026-11-26 10:00", clock: clock, app: app)
            let created = try await facilitator.send(
                .POST, base + "/roundtables", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-10 10:00"))", "place": "Auditorio del ITEI, Guadalajara"}"#)
            let table = try JSONDecoder.api.decode(RoundtableDTO.self, from: created.body)
            _ = try await facilitator.send(
                .PUT, "/api/v1/roundtables/\(table.id!)",
                json: #"{"startsAt": "\#(Self.rfc3339("2026-12-12 11:00"))", "place": "Auditorio del ITEI, Guadalajara"}"#)
            let tooEarly = try await facilitator.send(
                .PUT, "/api/v1/roundtables/\(table.id!)", json: #"{"startsAt": "\#(Self.rfc3339("2026-12-05 11:00"))", "place": "Auditorio"}"#)
            #expect(tooEarly.status == .unprocessableEntity, "rescheduling obeys D10 too")
            let cancelled = try await facilitator.send(.DELETE, "/api/v1/roundtables/\(table.id!)")
            #expect(cancelled.status == .ok)

            let mails = try await Delivery.query(on: app.db).filter(\.$kind == "roundtable").sort(\.$createdAt).all()
            #expect(mails.count == 12, "4 members × invitation, update, cancellation")
            let calendars = mails.map { String(decoding: $0.message, as: UTF8.self) }
            let uid = "UID:mesa-\(table.id!.uuidString.lowercased())@cocrea"
            #expect(calendars.allSatisfy { $0.contains("mesa-de-dialogo.ics") })
            for mail in mails {
                let calendar = try #require(MailParts.attachment(in: mail.message))
                #expect(calendar.contains(uid))
            }
            let sequences = try mails.map { try #require(MailParts.attachment(in: $0.message)) }
                .compactMap { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("SEQUENCE:") } }
            #expect(Set(sequences) == ["SEQUENCE:0", "SEQUENCE:1", "SEQUENCE:2"])
            let last = try #require(MailParts.attachment(in: mails.last!.message))
            #expect(last.contains("METHOD:CANCEL"))
            #expect(last.contains("STATUS:CANCELLED"))
        }
    }
}

/// Reads the base64 attachment of a stored message (the tests' own small MIME reader).
enum MailParts {
    static func attachment(in message: Data) -> String? {
        let text = String(decoding: message, as: UTF8.self)
        guard let header = text.range(of: "filename=\"mesa-de-dialogo.ics\"") ?? text.range(of: "mesa-de-dialogo.ics") else { return nil }
        let rest = text[header.upperBound...]
        guard let blank = rest.range(of: "\r\n\r\n") else { return nil }
        let body = rest[blank.upperBound...]
        let end = body.range(of: "\r\n--")?.lowerBound ?? body.endIndex
        let base64 = body[..<end].replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }
}
