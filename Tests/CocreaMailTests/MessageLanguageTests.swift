import CocreaCore
import CocreaMail
import CocreaStore
import Foundation
import Testing

/// Every message takes its words from the catalogue in the language asked: in English no Spanish is
/// left once the people's own data is taken out, and the Spanish messages read as they always did.
@Suite struct MessageLanguageTests {
    static let from = MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local")
    static let exercise = Exercise(
        name: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", timeZone: "America/Mexico_City", nationalPlan: "mx-2016-2018")
    static let member = Member(
        exerciseID: UUID(), userID: UUID(), name: "Rosa María Hernández Gómez", email: "rosa.hernandez@observatorio.org.mx", sector: .civilSociety,
        organization: "Observatorio Ciudadano de Salud", role: .member)
    static let userData = [
        exercise.name, exercise.territory, member.name, member.organization, "Problemática: desabasto de medicamentos",
        "martes 1 de diciembre de 2026, 10:00", "Sala de juntas del ITEI", "Publicar el abasto de medicamentos por centro de salud",
        "Integrar el inventario de farmacias al tablero", "Compromiso 1", "Lic. Jorge Ramírez",
    ]

    static func digest() -> ProgressDigest.Digest {
        let rosa = ProgressDigest.Person(name: member.name, email: member.email)
        let activities = [
            ProgressDigest.Activity(
                commitment: "Publicar el abasto de medicamentos por centro de salud", title: "Integrar el inventario de farmacias al tablero",
                responsible: member.name, dueOn: LocalDate(year: 2026, month: 11, day: 27), status: .inProgress, progress: 40),
            ProgressDigest.Activity(
                commitment: "Compromiso 1", title: "Publicar el abasto de medicamentos por centro de salud", responsible: "Lic. Jorge Ramírez",
                dueOn: LocalDate(year: 2026, month: 12, day: 4), status: .notStarted, progress: 0),
        ]
        return ProgressDigest.digests(for: [
            .init(
                id: UUID(), name: exercise.name, today: LocalDate(year: 2026, month: 12, day: 1), members: [rosa], facilitators: [rosa], activities: activities)
        ])[0]
    }

    /// Every message Cocrea sends, in `language`.
    static func messages(_ language: Language) -> [MailMessage] {
        let link = "https://cocrea.jalisco.gob.mx/d/6b1f9f3e"
        let user = User(email: member.email, name: member.name)
        return [
            Messages.invitation(member: member, exercise: exercise, from: from, baseURL: "https://cocrea.jalisco.gob.mx", language: language),
            Messages.magicLink(user: user, link: link, from: from, validMinutes: 20, language: language),
            Messages.dossier(
                member: member, exercise: exercise, version: 2, items: ["Problemática: desabasto de medicamentos"], link: link, from: from, language: language),
            Messages.dossierReminder(member: member, exercise: exercise, version: 2, link: link, from: from, language: language),
            Messages.signatureRequest(
                member: member, exercise: exercise, versionNumber: 3, shortCode: "PAL v3 · 3FA9C01B", link: link, from: from, language: language),
            Messages.signingCode(member: member, exercise: exercise, code: "482915", validMinutes: 10, from: from, language: language),
            Messages.sealedPlan(
                member: member, exercise: exercise, versionNumber: 3, verificationLink: link, pdf: Data("%PDF-1.7".utf8), fileName: "pal-v3.pdf",
                from: from, language: language),
            Messages.weeklyDigest(digest(), baseURL: "https://cocrea.jalisco.gob.mx", from: from, language: language),
        ]
            + [Messages.RoundtableNotice.scheduled, .rescheduled, .cancelled].map {
                Messages.roundtable(
                    $0, member: member, exercise: exercise, when: "martes 1 de diciembre de 2026, 10:00", place: "Sala de juntas del ITEI",
                    calendar: "BEGIN:VCALENDAR", calendarMediaType: "text/calendar", from: from, language: language)
            }
    }

    /// The lines with a Spanish letter or a short Spanish word once `userData` and links are taken out.
    static func spanishLeft(in text: String) -> [String] {
        let spanishWords: Set<String> = ["de", "del", "la", "las", "los", "el", "que", "para", "por", "con", "una", "sin", "en", "y", "se", "su", "al"]
        var rest = text
        for data in userData.sorted(by: { $0.count > $1.count }) { rest = rest.replacingOccurrences(of: data, with: " ") }
        rest = rest.replacing(/https?:\/\/\S+/, with: " ")
        return rest.split(whereSeparator: \.isNewline).map(String.init).filter { line in
            line.contains { "áéíóúñ¿¡«»".contains($0) } || line.lowercased().split { !$0.isLetter }.contains { spanishWords.contains(String($0)) }
        }
    }

    @Test func anEnglishMessageHasNoSpanishInterfaceText() {
        for message in Self.messages(.en) {
            let text = ([message.subject, message.textBody] + message.attachments.map(\.filename)).joined(separator: "\n")
            #expect(Self.spanishLeft(in: text).isEmpty, "\(message.subject): \(Self.spanishLeft(in: text))")
        }
    }

    @Test func theCheckFindsSpanishInTheSpanishMessages() {
        for message in Self.messages(.es) {
            #expect(!Self.spanishLeft(in: message.subject + "\n" + message.textBody).isEmpty, "\(message.subject)")
        }
    }

    @Test func theSpanishInvitationReadsAsBeforeWithItsEnglishSummary() {
        let invitation = Self.messages(.es)[0]
        #expect(invitation.subject == "Invitación al ejercicio «Ejercicio local de gobierno abierto Jalisco 2026»")
        #expect(
            invitation.textBody == """
                Hola, Rosa María Hernández Gómez:

                Te invitaron a participar en «Ejercicio local de gobierno abierto Jalisco 2026» (Jalisco), un ejercicio local de gobierno abierto \
                para co-crear un Plan de Acción Local (PAL).

                Participas como: Sociedad civil — Observatorio Ciudadano de Salud
                Papel: Integrante

                Entra a Cocrea con este correo (rosa.hernandez@observatorio.org.mx); te enviaremos un enlace de acceso:
                https://cocrea.jalisco.gob.mx/login

                Antes de la mesa de diálogo recibirás el expediente previo. Debes contar con él al menos 10 días antes.

                — Secretariado Técnico Local, vía Cocrea

                ---
                You have been invited to the open-government exercise "Ejercicio local de gobierno abierto Jalisco 2026". Sign in with this email at https://cocrea.jalisco.gob.mx/login.
                """)
    }

    @Test func theWeeklyDigestCountsInTheWordsOfItsLanguage() {
        #expect(Self.messages(.es)[7].subject == "Resumen semanal: 1 actividad vencida y 1 próxima")
        #expect(Self.messages(.en)[7].subject == "Weekly summary: 1 overdue activity and 1 upcoming")
        #expect(Self.messages(.en)[7].textBody.contains("(4 days ago) · progress 40 %"))
    }

    @Test func theCalendarFileIsNamedInTheLanguageOfItsMessage() {
        #expect(Self.messages(.es).last?.attachments.map(\.filename) == ["mesa-de-dialogo.ics"])
        #expect(Self.messages(.en).last?.attachments.map(\.filename) == ["dialogue-table.ics"])
    }
}
