import CocreaCore
import CocreaStore
import Foundation

/// The mail Cocrea sends, in Spanish first with an English summary for those who prefer it.
public enum Messages {
    public static func invitation(member: Member, exercise: Exercise, from: MailAddress, baseURL: String) -> MailMessage {
        let link = "\(baseURL)/login"
        let sector = exercise.label(for: member.sector)
        let text = """
            Hola, \(member.name.oneLine):

            Te invitaron a participar en «\(exercise.name.oneLine)» (\(exercise.territory.oneLine)), un ejercicio local de gobierno abierto \
            para co-crear un Plan de Acción Local (PAL).

            Participas como: \(sector.oneLine) — \(member.organization.oneLine)
            Papel: \(member.role.label(.es))

            Entra a Cocrea con este correo (\(member.email)); te enviaremos un enlace de acceso:
            \(link)

            Antes de la mesa de diálogo recibirás el expediente previo. Debes contar con él al menos 10 días antes.

            — Secretariado Técnico Local, vía Cocrea

            ---
            You have been invited to the open-government exercise "\(exercise.name.oneLine)". Sign in with this email at \(link).
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Invitación al ejercicio «\(exercise.name.oneLine)»", textBody: text)
    }

    public static func magicLink(user: User, link: String, from: MailAddress, validMinutes: Int) -> MailMessage {
        let text = """
            Hola, \(user.name.oneLine):

            Para entrar a Cocrea abre este enlace (vale \(validMinutes) minutos y sirve una sola vez):
            \(link)

            Si no pediste entrar, ignora este correo: nadie entra sin abrir el enlace.

            ---
            To sign in to Cocrea open the link above (valid for \(validMinutes) minutes, single use).
            """
        return MailMessage(
            from: from, to: [MailAddress(email: user.email, name: user.name)],
            subject: "Tu enlace para entrar a Cocrea", textBody: text)
    }
}

extension Messages {
    public static func dossier(member: Member, exercise: Exercise, version: Int, items: [String], link: String, from: MailAddress) -> MailMessage {
        let text = """
            Hola, \(member.name.oneLine):

            Te enviamos el expediente previo (versión \(version)) de «\(exercise.name.oneLine)». Ábrelo en tu enlace personal; \
            al abrirlo queda registrado tu acuse de recibo:
            \(link)

            Contiene:
            \(items.map(\.oneLine).joined(separator: "\n"))

            Todas las personas deben contar con el expediente al menos 10 días antes de la mesa de diálogo; \
            la fecha de la mesa depende de que tú también lo abras.

            — Secretariado Técnico Local, vía Cocrea

            ---
            The dossier (version \(version)) of "\(exercise.name.oneLine)" is ready. Open your personal link above to acknowledge receipt.
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Expediente previo de «\(exercise.name.oneLine)» (versión \(version))", textBody: text)
    }

    public static func dossierReminder(member: Member, exercise: Exercise, version: Int, link: String, from: MailAddress) -> MailMessage {
        let text = """
            Hola, \(member.name.oneLine):

            Aún no abres la versión \(version) del expediente previo de «\(exercise.name.oneLine)». La mesa de diálogo solo puede \
            celebrarse 10 días después de que todas las personas lo reciban. Ábrelo aquí:
            \(link)

            — Secretariado Técnico Local, vía Cocrea

            ---
            Reminder: please open version \(version) of the dossier of "\(exercise.name.oneLine)" at the link above.
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Recordatorio: expediente previo de «\(exercise.name.oneLine)»", textBody: text)
    }

    public enum RoundtableNotice: Sendable {
        case scheduled, rescheduled, cancelled
    }

    /// The invitation (or its update or cancellation) with the calendar file attached.
    public static func roundtable(
        _ notice: RoundtableNotice, member: Member, exercise: Exercise, when: String, place: String,
        calendar: String, calendarMediaType: String, from: MailAddress
    ) -> MailMessage {
        let subject: String
        let opening: String
        switch notice {
        case .scheduled:
            subject = "Invitación: mesa de diálogo de «\(exercise.name.oneLine)»"
            opening = "Te invitamos a la mesa de diálogo para co-crear el Plan de Acción Local."
        case .rescheduled:
            subject = "Cambio de fecha: mesa de diálogo de «\(exercise.name.oneLine)»"
            opening = "La mesa de diálogo cambió de fecha u hora; tu calendario se actualizará con el archivo adjunto."
        case .cancelled:
            subject = "Cancelada: mesa de diálogo de «\(exercise.name.oneLine)»"
            opening = "La mesa de diálogo fue cancelada; el archivo adjunto la quita de tu calendario."
        }
        let text = """
            Hola, \(member.name.oneLine):

            \(opening)

            Cuándo: \(when)
            Dónde: \(place.oneLine)

            — Secretariado Técnico Local, vía Cocrea
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)], subject: subject, textBody: text,
            attachments: [MailAttachment(filename: "mesa-de-dialogo.ics", mediaType: calendarMediaType, data: Data(calendar.utf8))])
    }
}

extension String {
    /// A stored value set into one line of a message stays on that line (defence in depth: input is
    /// already cleaned by `PlainText`, but a message must not depend on every path having done so).
    var oneLine: String { PlainText.singleLine(self) }
}
