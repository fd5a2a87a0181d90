import CocreaCore
import CocreaStore
import Foundation

/// The mail Cocrea sends, in Spanish first with an English summary for those who prefer it.
public enum Messages {
    public static func invitation(member: Member, exercise: Exercise, from: MailAddress, baseURL: String) -> MailMessage {
        let link = "\(baseURL)/login"
        let sector = exercise.label(for: member.sector)
        let text = """
        Hola, \(member.name):

        Te invitaron a participar en «\(exercise.name)» (\(exercise.territory)), un ejercicio local de gobierno abierto \
        para co-crear un Plan de Acción Local (PAL).

        Participas como: \(sector) — \(member.organization)
        Papel: \(member.role.label(.es))

        Entra a Cocrea con este correo (\(member.email)); te enviaremos un enlace de acceso:
        \(link)

        Antes de la mesa de diálogo recibirás el expediente previo. Debes contar con él al menos 10 días antes.

        — Secretariado Técnico Local, vía Cocrea

        ---
        You have been invited to the open-government exercise "\(exercise.name)". Sign in with this email at \(link).
        """
        return MailMessage(from: from, to: [MailAddress(email: member.email, name: member.name)],
                           subject: "Invitación al ejercicio «\(exercise.name)»", textBody: text)
    }

    public static func magicLink(user: User, link: String, from: MailAddress, validMinutes: Int) -> MailMessage {
        let text = """
        Hola, \(user.name):

        Para entrar a Cocrea abre este enlace (vale \(validMinutes) minutos y sirve una sola vez):
        \(link)

        Si no pediste entrar, ignora este correo: nadie entra sin abrir el enlace.

        ---
        To sign in to Cocrea open the link above (valid for \(validMinutes) minutes, single use).
        """
        return MailMessage(from: from, to: [MailAddress(email: user.email, name: user.name)],
                           subject: "Tu enlace para entrar a Cocrea", textBody: text)
    }
}
