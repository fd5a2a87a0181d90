import CocreaCore
import Foundation

/// What the Plan de Acción Local's PDF shows, as the people wrote it and as facts the PDF words in its
/// language (origins, OGP values, budget): a frozen plan version,
/// the actors who initial every page and sign at the foot (rule S1), and, once sealed, their marks.
public struct PlanDocument: Sendable {
    public struct Signer: Sendable {
        public var name: String
        public var sector: String
        public var organization: String
        /// Present once the actor has signed; the boxes and the foot then show it.
        public var mark: Mark?
        /// What names this actor's fields in the signing copy (their member id); unique per document.
        public var key: String

        public init(name: String, sector: String, organization: String, mark: Mark? = nil, key: String = "") {
            self.name = name
            self.sector = sector
            self.organization = organization
            self.mark = mark
            self.key = key
        }

        public var initials: String { PlanDocument.initials(of: name) }
    }

    public struct Mark: Sendable {
        /// As people in Mexico read it, e.g. "25/11/2026 14:03".
        public var signedAt: String
        /// "firma electrónica con código por correo" or "firma autógrafa (copia escaneada)".
        public var method: String

        public init(signedAt: String, method: String) {
            self.signedAt = signedAt
            self.method = method
        }
    }

    public struct Commitment: Sendable {
        public var title: String
        public var category: String
        /// The national-plan commitment or the dossier problem it is linked to, already labelled.
        public var link: String?
        public var problem: String
        public var description: String
        public var objective: String
        public var indicator: String
        public var baseline: String
        public var target: String
        public var meansOfVerification: String
        public var span: String
        public var leadInstitution: String
        public var activities: [Activity]
        /// The OGP values it serves, each with why (the template's first field).
        public var ogpValues: [(value: OGPValue, why: String)] = []
        /// The template's other fields it records as text (2030 Agenda, gender, co-responsible,
        /// assumptions), in that order; a field it leaves empty is not listed.
        public var template: [Detail] = []
        /// The template's last field.
        public var budget: CommitmentBudget?
        /// «Origen del compromiso»: one line per proposal, dossier problem, table intervention or national commitment.
        public var origin: [OriginLine] = []

        public init(
            title: String, category: String, link: String?, problem: String, description: String, objective: String,
            indicator: String, baseline: String, target: String, meansOfVerification: String, span: String,
            leadInstitution: String, activities: [Activity]
        ) {
            self.title = title
            self.category = category
            self.link = link
            self.problem = problem
            self.description = description
            self.objective = objective
            self.indicator = indicator
            self.baseline = baseline
            self.target = target
            self.meansOfVerification = meansOfVerification
            self.span = span
            self.leadInstitution = leadInstitution
            self.activities = activities
        }
    }

    /// A row of a commitment's table: the catalogue's `key` for its label, and its text.
    public struct Detail: Sendable {
        public var key: String
        public var text: String

        public init(key: String, text: String) {
            self.key = key
            self.text = text
        }
    }

    public struct Activity: Sendable {
        public var title: String
        public var responsible: String
        public var institution: String
        public var dueOn: String
        /// dd/mm/aaaa, or "" when not recorded, as the next two.
        public var startsOn = ""
        public var deliverable = ""
        public var meansOfVerification = ""

        public init(title: String, responsible: String, institution: String, dueOn: String) {
            self.title = title
            self.responsible = responsible
            self.institution = institution
            self.dueOn = dueOn
        }
    }

    /// The signature certificate page of a sealed plan.
    public struct Certificate: Sendable {
        public var sealedAt: String
        /// The audit events of the signing, oldest first, as lines.
        public var events: [String]

        public init(sealedAt: String, events: [String]) {
            self.sealedAt = sealedAt
            self.events = events
        }
    }

    public var exerciseName: String
    public var territory: String
    public var versionNumber: Int
    /// SHA-256 of the version's canonical content.
    public var sha256: String
    public var frozenAt: String
    public var verificationURL: String
    public var signers: [Signer]
    public var commitments: [Commitment]
    public var certificate: Certificate?
    /// The process the version came from, as it stood at the freezing: the introduction's integration
    /// process and participants, the measurement table and the annexes. Nil leaves those parts out.
    public var record: PlanRecord?
    /// The sections the STL wrote (I «contexto y retos», II–V), as the version froze them.
    public var narrative = PlanNarrative()

    public init(
        exerciseName: String, territory: String, versionNumber: Int, sha256: String, frozenAt: String,
        verificationURL: String, signers: [Signer], commitments: [Commitment], certificate: Certificate? = nil
    ) {
        self.exerciseName = exerciseName
        self.territory = territory
        self.versionNumber = versionNumber
        self.sha256 = sha256
        self.frozenAt = frozenAt
        self.verificationURL = verificationURL
        self.signers = signers
        self.commitments = commitments
        self.certificate = certificate
    }

    /// The version's short code printed on every page: its number and the hash's first 8 digits.
    public var shortCode: String { "PAL v\(versionNumber) · \(sha256.prefix(8).uppercased())" }

    /// Initials as a person would write them: the first letter of each name, without honorifics
    /// ("Mtra.", "Lic.") or particles ("de", "la").
    public static func initials(of name: String) -> String {
        let particles: Set<String> = ["de", "del", "la", "las", "los", "y", "e", "van", "von"]
        let letters = name.split(whereSeparator: { $0.isWhitespace }).compactMap { word -> Character? in
            if word.hasSuffix(".") || particles.contains(word.lowercased()) { return nil }
            return word.first(where: \.isLetter).map { Character($0.uppercased()) }
        }
        return letters.isEmpty ? "—" : String(letters)
    }
}
