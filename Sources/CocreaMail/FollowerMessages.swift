import CocreaCore
import Foundation

/// The mail someone following a commitment receives: the confirmation of their address, then at most
/// one mail a day telling what changed in its progress or its verification. Every one of them says how to stop it.
extension Messages {
    /// One report on one of the commitment's activities, or civil society's verdict on one, as the mail tells it.
    public struct FollowedChange: Sendable, Equatable {
        public var activity: String
        public var status: ActivityStatus
        public var progress: Int
        public var note: String
        /// dd/mm/aaaa hh:mm in the exercise's time zone.
        public var reportedOn: String
        /// Nil for the report itself.
        public var verdict: FollowedVerdict?

        public init(activity: String, status: ActivityStatus, progress: Int, note: String, reportedOn: String, verdict: FollowedVerdict? = nil) {
            self.activity = activity
            self.status = status
            self.progress = progress
            self.note = note
            self.reportedOn = reportedOn
            self.verdict = verdict
        }
    }

    /// A civil-society member's verdict on a report: it holds, or it is observed for a reason.
    public struct FollowedVerdict: Sendable, Equatable {
        public var verdict: VerificationVerdict
        /// Name and organisation, as the report's public history shows them (never the email).
        public var by: String
        /// The observation's reason or the verdict's comment; may be empty for a verification.
        public var reason: String
        /// dd/mm/aaaa hh:mm in the exercise's time zone.
        public var givenOn: String

        public init(verdict: VerificationVerdict, by: String, reason: String, givenOn: String) {
            self.verdict = verdict
            self.by = by
            self.reason = reason
            self.givenOn = givenOn
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
            let report = "\(change.status.label(.es)), \(change.progress) %"
            guard let verdict = change.verdict else {
                let note = change.note.isEmpty ? "" : "\n  \(PlainText.multiline(change.note))"
                return "• \(change.reportedOn) · «\(change.activity.oneLine)»: \(report)\(note)"
            }
            let verb = verdict.verdict == .verified ? "verificó" : "observó"
            let reason = verdict.reason.isEmpty ? "" : "\n  \(verdict.verdict == .observed ? "Motivo: " : "")\(PlainText.multiline(verdict.reason))"
            return "• \(verdict.givenOn) · «\(change.activity.oneLine)»: la sociedad civil (\(verdict.by.oneLine)) \(verb) "
                + "el reporte del \(change.reportedOn) (\(report))\(reason)"
        }
        let text = """
            Hola:

            El compromiso «\(commitment.oneLine)» del plan de acción local «\(exercise.oneLine)» tiene novedades en su avance:

            \(lines.joined(separator: "\n"))

            Avance del compromiso: \(progress) %.
            Todo su seguimiento, con la evidencia de cada reporte, está publicado en:
            \(link)

            Recibes este correo porque sigues este compromiso. Para dejar de seguirlo, con un clic: \(unsubscribe)

            — Secretariado Técnico Local, vía Cocrea

            ---
            The commitment "\(commitment.oneLine)" has news on its progress (\(progress) %): \(link). To stop following it: \(unsubscribe)
            """
        return MailMessage(from: from, to: [MailAddress(email: email)], subject: "Avances del compromiso «\(commitment.oneLine)»", textBody: text)
    }
}
