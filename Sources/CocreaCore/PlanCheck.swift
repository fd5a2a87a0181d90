import Foundation

/// A commitment as the plan rules see it: its category, links and dates, nothing else.
public struct PlanCommitment: Sendable, Equatable {
    public struct Activity: Sendable, Equatable {
        public var id: UUID
        public var title: String
        public var responsible: String
        public var responsibleInstitution: String
        public var dueOn: LocalDate?

        public init(id: UUID, title: String, responsible: String, responsibleInstitution: String, dueOn: LocalDate?) {
            self.id = id
            self.title = title
            self.responsible = responsible
            self.responsibleInstitution = responsibleInstitution
            self.dueOn = dueOn
        }
    }

    public var id: UUID
    public var title: String
    public var category: CommitmentCategory
    /// Linked to an entry (commitment or axis) of the national plan's catalogue.
    public var linkedToNationalPlan: Bool
    /// Linked to a problem (problemática) of the exercise's diagnosis.
    public var linkedToDossierProblem: Bool
    public var startsOn: LocalDate?
    public var endsOn: LocalDate?
    public var indicatorName: String
    public var indicatorBaseline: String
    public var indicatorTarget: String
    public var indicatorMeansOfVerification: String
    public var activities: [Activity]

    public init(
        id: UUID, title: String, category: CommitmentCategory, linkedToNationalPlan: Bool, linkedToDossierProblem: Bool,
        startsOn: LocalDate?, endsOn: LocalDate?, indicatorName: String, indicatorBaseline: String,
        indicatorTarget: String, indicatorMeansOfVerification: String, activities: [Activity]
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.linkedToNationalPlan = linkedToNationalPlan
        self.linkedToDossierProblem = linkedToDossierProblem
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.indicatorName = indicatorName
        self.indicatorBaseline = indicatorBaseline
        self.indicatorTarget = indicatorTarget
        self.indicatorMeansOfVerification = indicatorMeansOfVerification
        self.activities = activities
    }
}

/// One unmet rule, pointing at the commitment to fix when there is one. Its message is the catalogue's
/// `planRule_<code>` with `values`, the facts it names (titles, counts, ISO dates), written in the
/// reader's language; the API's answer carries the message, not the values.
public struct PlanProblem: Sendable, Equatable, Codable {
    public var rule: String
    public var code: String
    public var commitmentId: UUID?
    public var values: [String: String] = [:]
    /// The message as an API answer carried it, for a client that decodes one.
    private var received: String?

    enum CodingKeys: String, CodingKey {
        case rule, code, message, commitmentId
    }

    public init(rule: String, code: String, commitmentId: UUID? = nil, values: [String: String] = [:]) {
        self.rule = rule
        self.code = code
        self.commitmentId = commitmentId
        self.values = values
    }

    /// What a person reads; a rule about one commitment opens with «its title»:.
    public var text: ErrorText { PlanRuleText.text("planRule_" + code, values) }

    public func message(_ words: Words) -> String { received ?? text.rendered(words) }

    /// The message in Spanish, the reference language (logs, the tests).
    public var message: String { message(Catalogue.reference.words) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rule: try container.decode(String.self, forKey: .rule), code: try container.decode(String.self, forKey: .code),
            commitmentId: try container.decodeIfPresent(UUID.self, forKey: .commitmentId))
        received = try container.decode(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(code, forKey: .code)
        try container.encode(message(encoder.words), forKey: .message)
        try container.encodeIfPresent(commitmentId, forKey: .commitmentId)
    }
}

/// The sentence of a plan rule or a quality warning: the catalogue's text `key` with its facts, the
/// days among them written out, after «its title»: when it is about one commitment.
enum PlanRuleText {
    static let dates: Set<String> = ["start", "end", "due"]

    static func text(_ key: String, _ values: [String: String]) -> ErrorText {
        let text = ErrorText(
            key: key,
            values: Dictionary(
                uniqueKeysWithValues: values.map { name, value in
                    (name, dates.contains(name) ? LocalDate(value).map(ErrorText.Value.date) ?? .text(value) : .text(value))
                }))
        guard let commitment = values["commitment"] else { return text }
        return ErrorText(key: "planRuleOf", values: ["commitment": .text(commitment), "problem": .texts([text])])
    }
}

/// The rules a Local Action Plan must meet (domain.md, "Acuerdos"): Q1, Q2, Q3 and A1, and R1 on the
/// citizen proposals. Every unmet rule is reported at once, so the table fixes them together.
public enum PlanCheck {
    public static let minimumNationalPlan = 2
    public static let minimumLocal = 2
    public static let proposalWithoutResponse = "proposal_without_response"

    public static func problems(in commitments: [PlanCommitment], unanswered: [UnansweredProposal] = []) -> [PlanProblem] {
        procurement(commitments) + nationalPlan(commitments) + local(commitments) + commitments.flatMap(activitiesAndDates)
            + responses(unanswered)
    }

    /// R1: every published citizen proposal has its reasoned response before a version is frozen.
    static func responses(_ unanswered: [UnansweredProposal]) -> [PlanProblem] {
        unanswered.map {
            let summary = ProposalRules.summary($0.problem)
            return PlanProblem(
                rule: "R1", code: proposalWithoutResponse,
                values: ["proposal": summary, "proposalId": $0.id.uuidString.lowercased()])
        }
    }

    /// Q1: at least one commitment makes public procurement transparent.
    static func procurement(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        guard !commitments.contains(where: { $0.category == .procurement }) else { return [] }
        return [PlanProblem(rule: "Q1", code: "procurement_missing")]
    }

    /// Q2: at least two commitments aligned to the national plan, each linked to a catalogue entry.
    static func nationalPlan(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        let aligned = commitments.filter { $0.category == .nationalPlan }
        var problems = aligned.filter { !$0.linkedToNationalPlan }.map {
            PlanProblem(
                rule: "Q2", code: "national_link_missing", commitmentId: $0.id, values: ["title": $0.title])
        }
        let linked = aligned.filter(\.linkedToNationalPlan).count
        if linked < minimumNationalPlan {
            problems.append(
                PlanProblem(
                    rule: "Q2", code: "national_plan_missing",
                    values: ["minimum": "\(minimumNationalPlan)", "linked": "\(linked)"]))
        }
        return problems
    }

    /// Q3: at least two commitments on local problems, each linked to a problem of the diagnosis.
    static func local(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        let locals = commitments.filter { $0.category == .local }
        var problems = locals.filter { !$0.linkedToDossierProblem }.map {
            PlanProblem(
                rule: "Q3", code: "local_problem_missing", commitmentId: $0.id, values: ["title": $0.title])
        }
        let linked = locals.filter(\.linkedToDossierProblem).count
        if linked < minimumLocal {
            problems.append(
                PlanProblem(
                    rule: "Q3", code: "local_missing",
                    values: ["minimum": "\(minimumLocal)", "linked": "\(linked)"]))
        }
        return problems
    }

    /// A1: a measurable one-year commitment, with activities that each have a responsible person and
    /// institution and a due date inside the commitment's span.
    static func activitiesAndDates(_ commitment: PlanCommitment) -> [PlanProblem] {
        var problems: [PlanProblem] = []
        func add(_ code: String, _ values: [String: String] = [:]) {
            problems.append(
                PlanProblem(
                    rule: "A1", code: code, commitmentId: commitment.id,
                    values: values.merging(["commitment": commitment.title]) { given, _ in given }))
        }
        let indicator = [commitment.indicatorName, commitment.indicatorBaseline, commitment.indicatorTarget, commitment.indicatorMeansOfVerification]
        if indicator.contains(where: { $0.trimmingWhitespace.isEmpty }) {
            add("indicator_missing")
        }
        if let start = commitment.startsOn, let end = commitment.endsOn {
            if end <= start {
                add("span_invalid")
            } else if end > start.addingYears(1) {
                add("span_too_long", ["start": start.description, "end": end.description])
            }
        } else {
            add("span_missing")
        }
        if commitment.activities.isEmpty {
            add("activities_missing")
        }
        for activity in commitment.activities {
            if activity.responsible.trimmingWhitespace.isEmpty || activity.responsibleInstitution.trimmingWhitespace.isEmpty {
                add("activity_responsible_missing", ["activity": activity.title])
            }
            guard let due = activity.dueOn else {
                add("activity_due_missing", ["activity": activity.title])
                continue
            }
            if let start = commitment.startsOn, let end = commitment.endsOn, due < start || due > end {
                add("activity_due_outside", ["activity": activity.title, "due": due.description])
            }
        }
        return problems
    }
}

extension LocalDate {
    /// The same calendar date years later (29 February becomes 28 February in a common year).
    public func addingYears(_ years: Int) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let moved = calendar.date(byAdding: .year, value: years, to: startOfDay(in: calendar.timeZone))!
        return LocalDate(date: moved, in: calendar.timeZone)!
    }
}
