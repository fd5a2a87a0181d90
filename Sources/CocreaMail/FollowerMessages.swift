import CocreaCore
import Foundation

/// The mail someone following a commitment receives: the confirmation of their address, then at most
/// one mail a day telling what changed in its progress. Every one of them says how to stop it.
extension Messages {
    /// One report on one of the commitment's activities, as the mail tells it.
    public struct FollowedChange: Sendable, Equatable {
        public var activity: String
        public var status: ActivityStatus
        public var progress: Int
        public var note: String
        /// dd/mm/aaaa hh:mm in the exercise's time zone.
        public var reportedOn: String

        public init(activity: String, status: ActivityStatus, progress: Int, note: String, reportedOn: String) {
            self.activity = activity
            self.status = status
            self.progress = progress
            self.note = note
            self.reportedOn = reportedOn
        }
    }

    public static func followConfirmation(
        to email: String, commitment: String, exercise: String, link: String, unsubscribe: String, from: MailAddress
    ) -> MailMessage {
        let text = """
            Hola:

            Alguien pidió que este correo reciba los avances del compromiso «\(commitment.oneLine)»
            del plan de acción local «\(exercise.oneLine)».

            Para recibirlos (como mucho un correo al día, solo cuando haya avances), confirma en este enlace; vale 7 días:
            \(link)

            Si no lo pediste, ignora este mensaje: sin tu confirmación no volveremos a escribirte y el correo se borra en 7 días. \
            Tu correo nunca se publica.
            Para no recibir nada de este compromiso: \(unsubscribe)

            — Secretariado Técnico Local, vía Cocrea

            ---
            Someone asked for this address to receive the progress of the commitment "\(commitment.oneLine)". Confirm at the first link \
            (valid for 7 days) to receive at most one mail a day; otherwise we will not write again. Your email is never published.
            """
        return MailMessage(from: from, to: [MailAddress(email: email)], subject: "Confirma que quieres seguir un compromiso del plan", textBody: text)
    }

    public static func followedProgress(
        to email: String, commitment: String, exercise: String, progress: Int, changes: [FollowedChange], link: String, unsubscribe: String,
        from: MailAddress
    ) -> MailMessage {
        let lines = changes.map { change in
            let note = change.note.isEmpty ? "" : "\n  \(PlainText.multiline(change.note))"
            return "• \(change.reportedOn) · «\(change.activity.oneLine)»: \(change.status.label(.es)), \(change.progress) %\(note)"
        }
        let text = """
            Hola:

            El compromiso «\(commitment.oneLine)» del plan de acción local «\(exercise.oneLine)» tiene avances nuevos:

            \(lines.joined(separator: "\n"))

            Avance del compromiso: \(progress) %.
            Todo su seguimiento, con la evidencia de cada reporte, está publicado en:
            \(link)

            Recibes este correo porque sigues este compromiso. Para dejar de seguirlo, con un clic: \(unsubscribe)

            — Secretariado Técnico Local, vía Cocrea

            ---
            The commitment "\(commitment.oneLine)" has new progress (\(progress) %): \(link). To stop following it: \(unsubscribe)
            """
        return MailMessage(from: from, to: [MailAddress(email: email)], subject: "Avances del compromiso «\(commitment.oneLine)»", textBody: text)
    }
}
