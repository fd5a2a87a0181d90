import CocreaCore
import Foundation

extension Messages {
    /// The weekly digest: what is overdue and what comes up in the next two weeks, with where to report.
    public static func weeklyDigest(_ digest: ProgressDigest.Digest, baseURL: String, from: MailAddress) -> MailMessage {
        func line(_ item: ProgressDigest.Item, _ when: String) -> String {
            var text = """
                • \(item.activity.title.oneLine)
                  Compromiso: \(item.activity.commitment.oneLine) — \(item.exercise.oneLine)
                  Fecha de cumplimiento: \(MexicanFormat.numeric(item.activity.dueOn)) (\(when)) · avance \(item.activity.progress) %
                """
            if item.unassigned {
                text += "\n  Responsable: «\(item.activity.responsible.oneLine)» no tiene cuenta en Cocrea; te llega por facilitar el ejercicio."
            }
            return text + "\n  Reporta el avance: \(baseURL)/exercises/\(item.exerciseID.uuidString.lowercased())/plan"
        }
        func days(_ count: Int) -> String { count == 1 ? "1 día" : "\(count) días" }
        var sections: [String] = []
        if !digest.overdue.isEmpty {
            sections.append("VENCIDAS (\(digest.overdue.count))\n\n" + digest.overdue.map { line($0, "hace \(days($0.days))") }.joined(separator: "\n\n"))
        }
        if !digest.upcoming.isEmpty {
            sections.append(
                "PRÓXIMAS, en los siguientes \(ProgressDigest.horizonDays) días (\(digest.upcoming.count))\n\n"
                    + digest.upcoming.map { line($0, $0.days == 0 ? "hoy" : "en \(days($0.days))") }.joined(separator: "\n\n"))
        }
        let text = """
            Hola, \(digest.recipient.name.oneLine):

            Este es el resumen semanal del seguimiento de los Planes de Acción Local en los que participas.

            \(sections.joined(separator: "\n\n"))

            Cada reporte de avance queda en el historial público del plan.

            — Secretariado Técnico Local, vía Cocrea

            ---
            Weekly summary: \(digest.overdue.count) overdue and \(digest.upcoming.count) upcoming activities in your charge.
            """
        var subject = "Resumen semanal: "
        subject += [
            digest.overdue.isEmpty ? nil : "\(digest.overdue.count) \(digest.overdue.count == 1 ? "actividad vencida" : "actividades vencidas")",
            digest.upcoming.isEmpty ? nil : "\(digest.upcoming.count) \(digest.upcoming.count == 1 ? "próxima" : "próximas")",
        ]
        .compactMap { $0 }.joined(separator: " y ")
        return MailMessage(from: from, to: [MailAddress(email: digest.recipient.email, name: digest.recipient.name)], subject: subject, textBody: text)
    }
}
