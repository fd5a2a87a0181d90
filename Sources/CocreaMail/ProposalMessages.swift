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

    /// A commitment a proposal became, which its proposer follows from the response on.
    public struct FollowedCommitment: Sendable, Equatable {
        public var title: String
        public var link: String
        public var unsubscribe: String

        public init(title: String, link: String, unsubscribe: String) {
            self.title = title
            self.link = link
            self.unsubscribe = unsubscribe
        }
    }

    /// `following` are the commitments the proposer now follows: the mail says so, with a one-click
    /// unsubscribe for each, since nobody asked them separately.
    public static func proposalResponse(
        to email: String, exercise: String, problem: String, outcome: ProposalOutcome, reason: String, link: String,
        following: [FollowedCommitment] = [], from: MailAddress
    ) -> MailMessage {
        let followed =
            following.isEmpty
            ? ""
            : "Tu propuesta forma parte de estos compromisos del plan. Desde ahora los sigues: te escribiremos como mucho una vez al día, "
                + "solo cuando avancen.\n"
                + following.map { "• «\($0.title.oneLine)»: \($0.link)\n  Para dejar de seguirlo, con un clic: \($0.unsubscribe)" }
                .joined(separator: "\n") + "\n\n"
        let text = """
            Hola:

            El Secretariado Técnico Local de «\(exercise.oneLine)» respondió a tu propuesta
            «\(ProposalRules.summary(problem))».

            \(verdict(outcome))
            Respuesta razonada:
            \(PlainText.multiline(reason))

            \(followed)Todas las propuestas y sus respuestas están publicadas en:
            \(link)

            — Secretariado Técnico Local, vía Cocrea

            ---
            The STL of "\(exercise.oneLine)" responded to your proposal (\(outcome.rawValue)). Every proposal and its response is public at \(link).\
            \(following.isEmpty ? "" : " You now follow the commitments it became; each link above stops that in one click.")
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
