import Foundation

/// One line of a commitment's origin («Origen del compromiso») as its facts, so each page and
/// document writes it in its reader's language: a citizen proposal with its reasoned response, the
/// dossier problem it is linked to, a survey result and a recurring information-request topic it
/// answers, what was said at a table about it, the national commitment.
public enum OriginLine: Sendable, Equatable {
    case proposal(number: Int, outcome: ProposalOutcome, problem: String)
    /// A problem reserved to the Local Technical Secretariat has no title for its reader.
    case dossier(kind: DossierItemKind, title: String?)
    /// A question of a public-consultation survey, and the answer chosen when the finding is one option.
    case consultation(survey: String, question: String, option: String?)
    /// A topic found among the exercise's access-to-information requests, by its words and size.
    case requestTopic(label: String, requests: Int)
    case intervention(kind: InterventionKind, sector: Sector, on: LocalDate?, text: String)
    case national(plan: String, code: String, title: String)

    public func text(_ words: Words) -> String {
        switch self {
        case .proposal(let number, let outcome, let problem):
            words[
                "originProposal",
                ["number": "\(number)", "outcome": words["proposalOutcome_\(outcome.rawValue)"], "problem": ProposalRules.summary(problem)]]
        case .dossier(let kind, let title?):
            words["originDossier", ["kind": words[kind.labelKey], "title": title]]
        case .dossier(let kind, nil):
            words["originDossierReserved", ["kind": words[kind.labelKey]]]
        case .consultation(let survey, let question, nil):
            words["originConsultation", ["survey": survey, "question": question]]
        case .consultation(let survey, let question, let option?):
            words["originConsultationOption", ["survey": survey, "question": question, "option": option]]
        case .requestTopic(let label, let requests):
            words["originRequestTopic", ["label": label, "requests": "\(requests)"]]
        case .intervention(let kind, let sector, let day, let text):
            words[
                "originIntervention",
                [
                    "kind": words["interventionKind_\(kind.rawValue)"], "sector": words[sector.labelKey],
                    "date": day.map(MexicanFormat.numeric) ?? "", "text": text,
                ]]
        case .national(let plan, let code, let title):
            words["originNational", ["plan": plan, "code": code, "title": title]]
        }
    }
}
