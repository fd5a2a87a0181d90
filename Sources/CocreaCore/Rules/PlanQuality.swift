import Foundation

/// A commitment as the quality review reads it: what makes it verifiable, relevant and promising.
public struct QualityCommitment: Sendable, Equatable {
    public struct Activity: Sendable, Equatable {
        public var title: String
        public var startsOn: LocalDate?
        public var dueOn: LocalDate?
        public var deliverable: String

        public init(title: String, startsOn: LocalDate?, dueOn: LocalDate?, deliverable: String) {
            self.title = title
            self.startsOn = startsOn
            self.dueOn = dueOn
            self.deliverable = deliverable
        }
    }

    public var id: UUID
    public var title: String
    public var objective: String
    public var indicatorBaseline: String
    public var indicatorTarget: String
    public var indicatorMeansOfVerification: String
    /// The reasons recorded for each OGP value served ("" when a value has none).
    public var ogpReasons: [String]
    public var activities: [Activity]

    public init(
        id: UUID, title: String, objective: String, indicatorBaseline: String, indicatorTarget: String, indicatorMeansOfVerification: String,
        ogpReasons: [String], activities: [Activity]
    ) {
        self.id = id
        self.title = title
        self.objective = objective
        self.indicatorBaseline = indicatorBaseline
        self.indicatorTarget = indicatorTarget
        self.indicatorMeansOfVerification = indicatorMeansOfVerification
        self.ogpReasons = ogpReasons
        self.activities = activities
    }
}

/// Advice on a commitment, naming the field to improve. Its message is the catalogue's
/// `planWarning_<code>` with `values`, the facts it names, written in the reader's language.
public struct PlanWarning: Sendable, Equatable, Codable {
    public var code: String
    public var commitmentId: UUID
    public var field: String
    public var values: [String: String] = [:]
    /// The message as an API answer carried it, for a client that decodes one.
    private var received: String?

    enum CodingKeys: String, CodingKey {
        case code, message, commitmentId, field
    }

    public init(code: String, commitmentId: UUID, field: String, values: [String: String] = [:]) {
        self.code = code
        self.commitmentId = commitmentId
        self.field = field
        self.values = values
    }

    public var text: ErrorText { PlanRuleText.text("planWarning_" + code, values) }

    public func message(_ words: Words) -> String { received ?? text.rendered(words) }

    /// The message in Spanish, the reference language (logs, the tests).
    public var message: String { message(Catalogue.reference.words) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code), commitmentId: try container.decode(UUID.self, forKey: .commitmentId),
            field: try container.decode(String.self, forKey: .field))
        received = try container.decode(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message(encoder.words), forKey: .message)
        try container.encode(commitmentId, forKey: .commitmentId)
        try container.encode(field, forKey: .field)
    }
}

/// The review the IRM makes of a plan before it runs, as advice that never blocks freezing: is each
/// commitment verifiable, relevant to the OGP values, and does it promise results for people?
public enum PlanQuality {
    public static let codes = [
        "baseline_missing", "target_missing", "means_of_verification_missing", "activity_deliverable_missing", "activity_dates_missing",
        "ogp_value_missing", "objective_output_only",
    ]

    public static func warnings(in commitments: [QualityCommitment]) -> [PlanWarning] {
        commitments.flatMap { verifiable($0) + relevant($0) + results($0) }
    }

    /// Verifiable: an indicator with baseline, target and means of verification; every activity with
    /// its deliverable and both dates.
    static func verifiable(_ commitment: QualityCommitment) -> [PlanWarning] {
        var warnings: [PlanWarning] = []
        func warn(_ code: String, _ field: String, _ values: [String: String] = [:]) {
            warnings.append(
                PlanWarning(
                    code: code, commitmentId: commitment.id, field: field,
                    values: values.merging(["commitment": commitment.title]) { given, _ in given }))
        }
        if commitment.indicatorBaseline.trimmingWhitespace.isEmpty {
            warn("baseline_missing", "indicator.baseline")
        }
        if commitment.indicatorTarget.trimmingWhitespace.isEmpty {
            warn("target_missing", "indicator.target")
        }
        if commitment.indicatorMeansOfVerification.trimmingWhitespace.isEmpty {
            warn("means_of_verification_missing", "indicator.meansOfVerification")
        }
        for activity in commitment.activities {
            if activity.deliverable.trimmingWhitespace.isEmpty {
                warn("activity_deliverable_missing", "activities.deliverable", ["activity": activity.title])
            }
            if activity.startsOn == nil || activity.dueOn == nil {
                warn("activity_dates_missing", "activities.startsOn", ["activity": activity.title])
            }
        }
        return warnings
    }

    /// Relevant: at least one OGP value served, with why.
    static func relevant(_ commitment: QualityCommitment) -> [PlanWarning] {
        guard !commitment.ogpReasons.contains(where: { !$0.trimmingWhitespace.isEmpty }) else { return [] }
        return [PlanWarning(code: "ogp_value_missing", commitmentId: commitment.id, field: "ogpValues", values: ["commitment": commitment.title])]
    }

    /// Potential for results: the objective states a change for people, not only an output.
    static func results(_ commitment: QualityCommitment) -> [PlanWarning] {
        guard !statesAChangeForPeople(commitment.objective) else { return [] }
        return [PlanWarning(code: "objective_output_only", commitmentId: commitment.id, field: "objective", values: ["commitment": commitment.title])]
    }

    /// Who a change is for: people, groups and the public, as objectives name them (accents and case folded).
    static let people = [
        "persona", "ciudadan", "poblacion", "habitante", "usuari", "mujer", "hombre", "nina", "nino", "infancia", "joven", "jovenes",
        "adolescente", "comunidad", "vecin", "paciente", "familia", "sociedad", "gente", "estudiante", "productor", "trabajador", "colonia",
        "derechohabiente", "beneficiari", "victima", "indigena",
    ]
    /// What a change does: verbs of an outcome rather than of an output, and «que …» / «para que …».
    static let change = [
        "reducir", "disminuir", "aumentar", "incrementar", "mejorar", "garantizar", "ampliar", "fortalecer", "evitar", "prevenir",
        "acceder", "acceso", "conocer", "sepan", "puedan", "participen", "vigilar", "exigir", "para que", "que las ", "que los ", "que la ",
        "que el ",
    ]

    /// The heuristic (docs/domain.md): an objective states a change for people when it names whom it is
    /// for and what changes for them — one word of each list. "Publicar la información" names neither;
    /// "Que las personas usuarias sepan qué medicamentos hay" names both.
    public static func statesAChangeForPeople(_ objective: String) -> Bool {
        let folded =
            " "
            + objective.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "es_MX"))
            .replacingOccurrences(of: "\n", with: " ") + " "
        return people.contains(where: folded.contains) && change.contains(where: folded.contains)
    }
}
