import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaMail

/// Against a real SMTP server (aiosmtpd) whose Python `email` parser checks our MIME.
@Suite struct SMTPTransportTests {
    static let stl = MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local")
    static let maria = MailAddress(email: "maria.nunez@example.org", name: "María José Núñez Ibáñez")

    /// A minimal PDF: header, one object, cross-reference table, trailer.
    static let pdf: Data = {
        let object = "1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        let header = "%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n"
        let headerLength = header.utf8.count
        let xrefOffset = headerLength + object.utf8.count
        let offset = String(repeating: "0", count: 10 - String(headerLength).count) + String(headerLength)
        let body =
            header + object
            + "xref\n0 2\n0000000000 65535 f \n\(offset) 00000 n \n"
            + "trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        return Data(body.utf8)
    }()

    static func invitation(to: [MailAddress] = [maria], attachments: [MailAttachment] = []) -> MailMessage {
        MailMessage(
            from: stl,
            to: to,
            subject: "Invitación a la mesa de diálogo — Plan de Acción Local",
            textBody: "Estimada María José:\n\n¿Podrá acompañarnos el jueves? ¡Su participación es importante!\n"
                + "Revise el expediente antes de la sesión; esta línea es lo bastante larga como para que la codificación la tenga que partir.\n",
            htmlBody: "<p>Estimada <strong>María José</strong>:</p>\n<p>¿Podrá acompañarnos el jueves? ¡Gracias!</p>\n",
            attachments: attachments
        )
    }

    @Test func spanishMessageWithPDFArrivesIntact() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let attachment = MailAttachment(filename: "Plan de Acción Local.pdf", mediaType: "application/pdf", data: Self.pdf)
        let message = Self.invitation(attachments: [attachment])

        try await SMTPTransport(configuration: SMTPConfiguration(url: sink.url)).send(message)

        let mail = try #require(try await sink.waitForMessages(count: 1).first)
        #expect(mail.defects == [])
        #expect(mail.longestLine <= 76)
        #expect(mail.mailFrom == "stl@cocrea.example")
        #expect(mail.rcptTos == ["maria.nunez@example.org"])
        #expect(mail.subject == "Invitación a la mesa de diálogo — Plan de Acción Local")
        #expect(mail.from == [ReceivedMail.Address(name: "Secretariado Técnico Local", email: "stl@cocrea.example")])
        #expect(mail.to == [ReceivedMail.Address(name: "María José Núñez Ibáñez", email: "maria.nunez@example.org")])
        #expect(mail.messageID == message.messageID)
        #expect(mail.textBody == message.textBody)
        #expect(mail.htmlBody == message.htmlBody)
        #expect(mail.attachments.count == 1)
        let received = try #require(mail.attachments.first)
        #expect(received.filename == "Plan de Acción Local.pdf")
        #expect(received.mediaType == "application/pdf")
        #expect(received.disposition == "attachment")
        #expect(received.size == Self.pdf.count)
        #expect(received.data == Self.pdf)
    }

    @Test func calendarInvitationKeepsItsMethod() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let ics = Data("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n".utf8)
        let invite = MailAttachment(filename: "invitación.ics", mediaType: "text/calendar; method=REQUEST; charset=UTF-8", data: ics)

        try await SMTPTransport(configuration: SMTPConfiguration(url: sink.url)).send(Self.invitation(attachments: [invite]))

        let received = try #require(try await sink.waitForMessages(count: 1).first?.attachments.first)
        #expect(received.filename == "invitación.ics")
        #expect(received.mediaType == "text/calendar")
        #expect(received.parameters["method"] == "REQUEST")
        #expect(received.data == ics)
    }

    @Test func renderedHeadersAreDeterministicAndASCII() throws {
        let message = MailMessage(
            from: Self.stl, to: [Self.maria], subject: "¿Asistirá? ¡Gracias!", textBody: "Hola",
            messageID: "<fijo@cocrea.example>", date: Date(timeIntervalSince1970: 1_741_078_800)
        )
        let rendered = message.rendered()
        let text = try #require(String(data: rendered, encoding: .ascii))
        #expect(text.hasPrefix("Date: Tue, 04 Mar 2025 09:00:00 +0000\r\n"))
        #expect(text.contains("\r\nMessage-ID: <fijo@cocrea.example>\r\n"))
        #expect(text.contains("\r\nFrom: =?UTF-8?Q?Secretariado_T=C3=A9cnico_Local?= <stl@cocrea.example>\r\n"))
        #expect(text.contains("\r\nSubject: =?UTF-8?Q?=C2=BFAsistir=C3=A1=3F_=C2=A1Gracias!?=\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(message.rendered() == rendered)
    }

    @Test func authenticatedSTARTTLSWithTrustedCertificateDelivers() async throws {
        let sink = try await SMTPSink.start(.init(authUser: "stl", authPassword: "clave secreta ñ", tls: true))
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(
            url: "smtp://stl:clave%20secreta%20%C3%B1@127.0.0.1:\(sink.port)", caFile: sink.caFile
        )

        try await SMTPTransport(configuration: configuration).send(Self.invitation())

        let mail = try #require(try await sink.waitForMessages(count: 1).first)
        #expect(mail.subject == "Invitación a la mesa de diálogo — Plan de Acción Local")
    }

    @Test func untrustedCertificateIsRefusedAndRetryable() async throws {
        let sink = try await SMTPSink.start(.init(authUser: "stl", authPassword: "clave", tls: true))
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: "smtp://stl:clave@127.0.0.1:\(sink.port)")

        let error = try await #require(throws: MailError.self) {
            try await SMTPTransport(configuration: configuration).send(Self.invitation())
        }
        #expect(error.code == "smtp_tls_failed")
        #expect(!error.isPermanent)
        #expect(try sink.messages().isEmpty)
    }

    @Test func wrongPasswordFailsWithMailError() async throws {
        let sink = try await SMTPSink.start(.init(authUser: "stl", authPassword: "clave", tls: true))
        defer { sink.stop() }
        let configuration = try SMTPConfiguration(url: "smtp://stl:otra@127.0.0.1:\(sink.port)", caFile: sink.caFile)

        let error = try await #require(throws: MailError.self) {
            try await SMTPTransport(configuration: configuration).send(Self.invitation())
        }
        #expect(error.code == "smtp_auth_failed")
        #expect(error.responseCode == 535)
        // The server's configuration, not the message, is wrong: the outbox keeps it for later.
        #expect(!error.isPermanent)
        #expect(try sink.messages().isEmpty)
    }

    @Test func deferredMessageIsTemporaryAndARetryDelivers() async throws {
        let sink = try await SMTPSink.start(.init(failFirst: 1))
        defer { sink.stop() }
        let transport = try SMTPTransport(configuration: SMTPConfiguration(url: sink.url))

        let error = try await #require(throws: MailError.self) {
            try await transport.send(Self.invitation())
        }
        #expect(error.responseCode == 451)
        #expect(!error.isPermanent)

        try await transport.send(Self.invitation())
        #expect(try await sink.waitForMessages(count: 1).count == 1)
    }

    @Test func rejectedRecipientIsPermanent() async throws {
        let sink = try await SMTPSink.start(.init(rejectRecipients: ["nadie@example.org"]))
        defer { sink.stop() }
        let nobody = MailAddress(email: "nadie@example.org", name: "Nadie")

        let error = try await #require(throws: MailError.self) {
            try await SMTPTransport(configuration: SMTPConfiguration(url: sink.url)).send(Self.invitation(to: [nobody]))
        }
        #expect(error.code == "smtp_rejected")
        #expect(error.responseCode == 550)
        #expect(error.isPermanent)
        #expect(try sink.messages().isEmpty)
    }

    @Test func unreachableServerIsTemporary() async throws {
        // Port 9 (discard) is closed on loopback here.
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:9", timeout: 5)

        let error = try await #require(throws: MailError.self) {
            try await SMTPTransport(configuration: configuration).send(Self.invitation())
        }
        #expect(error.code == "smtp_unreachable")
        #expect(!error.isPermanent)
    }

    @Test(arguments: ["http://x", "smtp://", "correo.example:25", "smtp://host name:25", ""])
    func configurationRejectsURLsThatAreNotSMTP(url: String) {
        #expect(throws: MailError.self) { try SMTPConfiguration(url: url) }
    }

    @Test func configurationAcceptsSMTPAndSMTPS() throws {
        _ = try SMTPConfiguration(url: "smtp://127.0.0.1:25")
        _ = try SMTPConfiguration(url: "smtp://usuario:contrase%C3%B1a@correo.example:587")
        _ = try SMTPConfiguration(url: "smtps://usuario:clave@correo.example:465")
    }

    @Test func messageWithoutRecipientsIsRejectedBeforeConnecting() async throws {
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:9")

        let error = try await #require(throws: MailError.self) {
            try await SMTPTransport(configuration: configuration).send(Self.invitation(to: []))
        }
        #expect(error.code == "mail_no_recipients")
        #expect(error.isPermanent)
    }
}
