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

/// One unmet rule, in Spanish, pointing at the commitment to fix when there is one. `values` are the
/// facts its message names (titles, counts, ISO dates), so a page can say it in the reader's language
/// from the catalogue's `planRule_<code>`; they are not part of the API's answer.
public struct PlanProblem: Sendable, Equatable, Codable {
    public var rule: String
    public var code: String
    public var message: String
    public var commitmentId: UUID?
    public var values: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case rule, code, message, commitmentId
    }

    public init(rule: String, code: String, message: String, commitmentId: UUID? = nil, values: [String: String] = [:]) {
        self.rule = rule
        self.code = code
        self.message = message
        self.commitmentId = commitmentId
        self.values = values
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
                message: "La propuesta ciudadana «\(summary)» está publicada y aún no tiene su respuesta razonada.",
                values: ["proposal": summary, "proposalId": $0.id.uuidString.lowercased()])
        }
    }

    /// Q1: at least one commitment makes public procurement transparent.
    static func procurement(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        guard !commitments.contains(where: { $0.category == .procurement }) else { return [] }
        return [
            PlanProblem(
                rule: "Q1", code: "procurement_missing",
                message: "Falta un compromiso de transparencia en contrataciones públicas (en la línea de «Follow the Money»).")
        ]
    }

    /// Q2: at least two commitments aligned to the national plan, each linked to a catalogue entry.
    static func nationalPlan(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        let aligned = commitments.filter { $0.category == .nationalPlan }
        var problems = aligned.filter { !$0.linkedToNationalPlan }.map {
            PlanProblem(
                rule: "Q2", code: "national_link_missing",
                message: "«\($0.title)» dice alinearse al plan de acción nacional, pero no indica con qué compromiso o eje del catálogo.",
                commitmentId: $0.id, values: ["title": $0.title])
        }
        let linked = aligned.filter(\.linkedToNationalPlan).count
        if linked < minimumNationalPlan {
            problems.append(
                PlanProblem(
                    rule: "Q2", code: "national_plan_missing",
                    message:
                        "Se necesitan al menos \(minimumNationalPlan) compromisos alineados al plan de acción nacional, vinculados a su catálogo; hay \(linked).",
                    values: ["minimum": "\(minimumNationalPlan)", "linked": "\(linked)"]))
        }
        return problems
    }

    /// Q3: at least two commitments on local problems, each linked to a problem of the diagnosis.
    static func local(_ commitments: [PlanCommitment]) -> [PlanProblem] {
        let locals = commitments.filter { $0.category == .local }
        var problems = locals.filter { !$0.linkedToDossierProblem }.map {
            PlanProblem(
                rule: "Q3", code: "local_problem_missing",
                message: "«\($0.title)» atiende un problema local, pero no indica qué problemática del diagnóstico resuelve.",
                commitmentId: $0.id, values: ["title": $0.title])
        }
        let linked = locals.filter(\.linkedToDossierProblem).count
        if linked < minimumLocal {
            problems.append(
                PlanProblem(
                    rule: "Q3", code: "local_missing",
                    message: "Se necesitan al menos \(minimumLocal) compromisos que resuelvan problemas locales, vinculados a una problemática; hay \(linked).",
                    values: ["minimum": "\(minimumLocal)", "linked": "\(linked)"]))
        }
        return problems
    }

    /// A1: a measurable one-year commitment, with activities that each have a responsible person and
    /// institution and a due date inside the commitment's span.
    static func activitiesAndDates(_ commitment: PlanCommitment) -> [PlanProblem] {
        var problems: [PlanProblem] = []
        func add(_ code: String, _ message: String, _ values: [String: String] = [:]) {
            problems.append(
                PlanProblem(
                    rule: "A1", code: code, message: "«\(commitment.title)»: \(message)", commitmentId: commitment.id,
                    values: values.merging(["commitment": commitment.title]) { given, _ in given }))
        }
        let indicator = [commitment.indicatorName, commitment.indicatorBaseline, commitment.indicatorTarget, commitment.indicatorMeansOfVerification]
        if indicator.contains(where: { $0.trimmingWhitespace.isEmpty }) {
            add("indicator_missing", "le falta el indicador completo (nombre, línea base, meta y medio de verificación).")
        }
        if let start = commitment.startsOn, let end = commitment.endsOn {
            if end <= start {
                add("span_invalid", "la fecha de término debe ser posterior a la de inicio.")
            } else if end > start.addingYears(1) {
                add(
                    "span_too_long", "dura más de un año (del \(MexicanFormat.date(start)) al \(MexicanFormat.date(end))).",
                    ["start": start.description, "end": end.description])
            }
        } else {
            add("span_missing", "le faltan las fechas de inicio y término.")
        }
        if commitment.activities.isEmpty {
            add("activities_missing", "no tiene actividades.")
        }
        for activity in commitment.activities {
            if activity.responsible.trimmingWhitespace.isEmpty || activity.responsibleInstitution.trimmingWhitespace.isEmpty {
                add("activity_responsible_missing", "la actividad «\(activity.title)» no tiene responsable e institución.", ["activity": activity.title])
            }
            guard let due = activity.dueOn else {
                add("activity_due_missing", "la actividad «\(activity.title)» no tiene fecha de cumplimiento.", ["activity": activity.title])
                continue
            }
            if let start = commitment.startsOn, let end = commitment.endsOn, due < start || due > end {
                add(
                    "activity_due_outside", "la actividad «\(activity.title)» vence el \(MexicanFormat.date(due)), fuera del periodo del compromiso.",
                    ["activity": activity.title, "due": due.description])
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
