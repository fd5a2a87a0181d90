import CocreaCore
import Foundation

/// The mail a proposer receives: the confirmation of their address, then the STL's reasoned response.
extension Messages {
    public static func proposalConfirmation(to email: String, exercise: String, problem: String, link: String, from: MailAddress) -> MailMessage {
        let text = """
            Hola:

            Recibimos tu propuesta para «\(exercise.oneLine)»:
            «\(ProposalRules.summary(problem))»

            Si quieres que te avisemos por correo de la respuesta del Secretariado Técnico Local, confirma tu correo en este enlace:
            \(link)

            Si no enviaste esta propuesta, ignora este mensaje: sin tu confirmación no volveremos a escribirte. \
            Tu correo nunca se publica.

            — Secretariado Técnico Local, vía Cocrea

            ---
            We received your proposal for "\(exercise.oneLine)". To be told the STL's response, confirm your email at the link above; \
            otherwise we will not write again. Your email is never published.
            """
        return MailMessage(
            from: from, to: [MailAddress(email: email)], subject: "Confirma tu correo para saber la respuesta a tu propuesta", textBody: text)
    }

    public static func proposalResponse(
        to email: String, exercise: String, problem: String, outcome: ProposalOutcome, reason: String, link: String, from: MailAddress
    ) -> MailMessage {
        let text = """
            Hola:

            El Secretariado Técnico Local de «\(exercise.oneLine)» respondió a tu propuesta
            «\(ProposalRules.summary(problem))».

            \(verdict(outcome))
            Respuesta razonada:
            \(PlainText.multiline(reason))

            Todas las propuestas y sus respuestas están publicadas en:
            \(link)

            — Secretariado Técnico Local, vía Cocrea

            ---
            The STL of "\(exercise.oneLine)" responded to your proposal (\(outcome.rawValue)). Every proposal and its response is public at \(link).
            """
        return MailMessage(
            from: from, to: [MailAddress(email: email)], subject: "Respuesta a tu propuesta para «\(exercise.oneLine)»", textBody: text)
    }

    private static func verdict(_ outcome: ProposalOutcome) -> String {
        switch outcome {
        case .incorporated: "Resultado: incorporada al plan."
        case .partiallyIncorporated: "Resultado: incorporada en parte al plan."
        case .merged: "Resultado: fusionada con otra propuesta igual o muy parecida."
        case .notIncorporated: "Resultado: no incorporada."
        }
    }
}
