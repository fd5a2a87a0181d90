import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation

package struct IndicatorDTO: Codable, Sendable {
    package var name: String?
    package var baseline: String?
    package var target: String?
    package var meansOfVerification: String?

    package init(name: String? = nil, baseline: String? = nil, target: String? = nil, meansOfVerification: String? = nil) {
        self.name = name
        self.baseline = baseline
        self.target = target
        self.meansOfVerification = meansOfVerification
    }
}

/// An OGP value a commitment serves, and why (the IRM's relevance).
package struct OGPValueDTO: Codable, Sendable, Equatable {
    package var value: OGPValue
    package var why: String

    package init(value: OGPValue, why: String) {
        self.value = value
        self.why = why
    }
}

package struct OGPValueInput: Codable, Sendable {
    package var value: String?
    package var why: String?

    package init(value: String?, why: String? = nil) {
        self.value = value
        self.why = why
    }
}

/// A commitment's budget: an amount in Mexican pesos as a decimal with cents ("1250000.00") and its
/// source (recursos propios, un fondo federal…). Either may be absent; an amount needs its source.
package struct BudgetDTO: Codable, Sendable, Equatable {
    package var amount: String?
    package var source: String?

    package init(amount: String?, source: String?) {
        self.amount = amount
        self.source = source
    }
}

/// The budget as written: the amount may come as a JSON number or as text ("$1,250,000.50").
package struct BudgetInput: Codable, Sendable {
    package var amount: String?
    package var source: String?

    package init(amount: String? = nil, source: String? = nil) {
        self.amount = amount
        self.source = source
    }

    enum CodingKeys: String, CodingKey { case amount, source }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        if let text = try? container.decodeIfPresent(String.self, forKey: .amount) {
            amount = text
        } else {
            amount = try container.decodeIfPresent(Decimal.self, forKey: .amount).map { "\($0)" }
        }
    }
}

/// A survey result a commitment answers: a question of one of its exercise's surveys, and one of that
/// question's options when the finding is what the people who chose it said.
package struct ConsultationFindingLink: Codable, Sendable, Hashable {
    package var surveyId: UUID
    package var questionId: String
    package var option: String?

    package init(surveyId: UUID, questionId: String, option: String? = nil) {
        self.surveyId = surveyId
        self.questionId = questionId
        self.option = option
    }
}

/// A commitment as the API reads and writes it. `revision` must accompany every change: an edit
/// based on an older revision is refused with both versions, never applied over someone else's.
package struct CommitmentInput: Codable, Sendable {
    package var title: String?
    package var problem: String?
    package var description: String?
    package var objective: String?
    package var startsOn: String?
    package var endsOn: String?
    package var leadInstitution: String?
    package var indicator: IndicatorDTO?
    package var category: String?
    package var nationalCommitmentId: UUID?
    package var dossierItemId: UUID?
    package var ogpValues: [OGPValueInput]?
    package var sdgTargets: [String]?
    package var genderPerspective: String?
    package var coResponsible: [String]?
    package var assumptions: String?
    package var budget: BudgetInput?
    /// The survey results and information-request topics it answers; absent, the links stay as they are.
    package var consultationFindings: [ConsultationFindingLink]?
    package var requestTopicIds: [UUID]?
    package var revision: Int?

    package init(
        title: String? = nil, problem: String? = nil, description: String? = nil, objective: String? = nil, startsOn: String? = nil, endsOn: String? = nil,
        leadInstitution: String? = nil, indicator: IndicatorDTO? = nil, category: String? = nil, nationalCommitmentId: UUID? = nil, dossierItemId: UUID? = nil,
        ogpValues: [OGPValueInput]? = nil, sdgTargets: [String]? = nil, genderPerspective: String? = nil, coResponsible: [String]? = nil,
        assumptions: String? = nil, budget: BudgetInput? = nil, consultationFindings: [ConsultationFindingLink]? = nil, requestTopicIds: [UUID]? = nil,
        revision: Int? = nil
    ) {
        self.consultationFindings = consultationFindings
        self.requestTopicIds = requestTopicIds
        self.ogpValues = ogpValues
        self.sdgTargets = sdgTargets
        self.genderPerspective = genderPerspective
        self.coResponsible = coResponsible
        self.assumptions = assumptions
        self.budget = budget
        self.title = title
        self.problem = problem
        self.description = description
        self.objective = objective
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.leadInstitution = leadInstitution
        self.indicator = indicator
        self.category = category
        self.nationalCommitmentId = nationalCommitmentId
        self.dossierItemId = dossierItemId
        self.revision = revision
    }
}

package struct ActivityInput: Codable, Sendable {
    package var title: String?
    package var responsible: String?
    package var responsibleInstitution: String?
    package var dueOn: String?
    package var startsOn: String?
    package var deliverable: String?
    package var meansOfVerification: String?
    package var status: String?
    package var progress: Int?
    /// 1–100; how much of the commitment this activity is (1 unless agreed otherwise).
    package var weight: Int?
    package var revision: Int?

    package init(
        title: String? = nil, responsible: String? = nil, responsibleInstitution: String? = nil, dueOn: String? = nil, startsOn: String? = nil,
        deliverable: String? = nil, meansOfVerification: String? = nil, status: String? = nil, progress: Int? = nil, weight: Int? = nil,
        revision: Int? = nil
    ) {
        self.startsOn = startsOn
        self.deliverable = deliverable
        self.meansOfVerification = meansOfVerification
        self.title = title
        self.responsible = responsible
        self.responsibleInstitution = responsibleInstitution
        self.dueOn = dueOn
        self.status = status
        self.progress = progress
        self.weight = weight
        self.revision = revision
    }
}

package struct ActivityDTO: Codable, Sendable {
    package var id: UUID?
    package var commitmentId: UUID
    package var title: String
    package var responsible: String
    package var responsibleInstitution: String
    package var dueOn: String
    /// This and the next two are "" when not recorded, and absent from a frozen version then, so that
    /// plans agreed before they existed hash as before.
    package var startsOn: String?
    package var deliverable: String?
    package var meansOfVerification: String?
    package var status: String
    package var progress: Int
    /// Absent in a frozen version when it is 1, so that plans agreed without weights read as before.
    package var weight: Int?
    package var revision: Int

    package init(_ activity: Activity) {
        id = activity.id
        commitmentId = activity.$commitment.id
        title = activity.title
        responsible = activity.responsible
        responsibleInstitution = activity.responsibleInstitution
        dueOn = activity.dueOn
        startsOn = activity.startsOn ?? ""
        deliverable = activity.deliverable ?? ""
        meansOfVerification = activity.meansOfVerification ?? ""
        status = activity.status
        progress = activity.progress
        weight = activity.weight
        revision = activity.revision
    }
}

package struct CommitmentDTO: Codable, Sendable {
    package var id: UUID?
    package var title: String
    package var problem: String
    package var description: String
    package var objective: String
    package var startsOn: String
    package var endsOn: String
    package var leadInstitution: String
    package var indicator: IndicatorDTO
    package var category: CommitmentCategory
    package var nationalCommitmentId: UUID?
    package var dossierItemId: UUID?
    /// The template's fields since issue 18: always present when read ([] or "" when not recorded,
    /// `budget` absent without one), and absent from a frozen version when empty, so that plans
    /// agreed before they existed hash as before.
    package var ogpValues: [OGPValueDTO]?
    package var sdgTargets: [String]?
    package var genderPerspective: String?
    package var coResponsible: [String]?
    package var assumptions: String?
    package var budget: BudgetDTO?
    /// The survey results and information-request topics it answers: [] when read without any, and
    /// absent from a frozen version then, so that plans agreed before them hash as before.
    package var consultationFindings: [ConsultationFindingLink]?
    package var requestTopicIds: [UUID]?
    package var revision: Int
    package var activities: [ActivityDTO]
    /// Where it came from (`CommitmentOrigins`), in the API's reads; never part of a frozen version.
    package var origin: CommitmentOriginDTO?

    package init(_ commitment: Commitment, activities: [Activity]) {
        id = commitment.id
        title = commitment.title
        problem = commitment.problem
        description = commitment.description
        objective = commitment.objective
        startsOn = commitment.startsOn
        endsOn = commitment.endsOn
        leadInstitution = commitment.leadInstitution
        indicator = IndicatorDTO(
            name: commitment.indicatorName, baseline: commitment.indicatorBaseline,
            target: commitment.indicatorTarget, meansOfVerification: commitment.indicatorMeansOfVerification)
        category = commitment.category
        nationalCommitmentId = commitment.$nationalCommitment.id
        dossierItemId = commitment.$dossierItem.id
        ogpValues = commitment.ogpValuesJSON.flatMap { try? JSONDecoder().decode([OGPValueDTO].self, from: Data($0.utf8)) } ?? []
        sdgTargets = commitment.sdgTargetsJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        genderPerspective = commitment.genderPerspective ?? ""
        coResponsible = commitment.coResponsibleJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        assumptions = commitment.assumptions ?? ""
        budget =
            commitment.budgetAmount == nil && commitment.budgetSource == nil
            ? nil : BudgetDTO(amount: commitment.budgetAmount, source: commitment.budgetSource)
        consultationFindings =
            commitment.consultationFindingsJSON.flatMap { try? JSONDecoder().decode([ConsultationFindingLink].self, from: Data($0.utf8)) } ?? []
        requestTopicIds = commitment.requestTopicIDsJSON.flatMap { try? JSONDecoder().decode([UUID].self, from: Data($0.utf8)) } ?? []
        revision = commitment.revision
        self.activities = activities.sorted { ($0.dueOn, $0.title) < ($1.dueOn, $1.title) }.map(ActivityDTO.init)
    }
}

package struct PlanCheckDTO: Codable, Sendable {
    package var valid: Bool
    package var problems: [PlanProblem]
    /// The quality review's advice (verifiable, relevant, potential for results); never blocks freezing.
    package var warnings: [PlanWarning]

    package init(valid: Bool, problems: [PlanProblem], warnings: [PlanWarning] = []) {
        self.valid = valid
        self.problems = problems
        self.warnings = warnings
    }
}

/// Commitments and activities agreed at the table, and the plan check over them.
package enum CommitmentOperations {
    /// Applies an edit made on `input.revision`; a stale revision is refused with both versions.
    package static func update(_ id: UUID, with input: CommitmentInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> CommitmentDTO {
        let revision = try requireRevision(input.revision)
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard
                let commitment = try await Commitment.query(on: tx).filter(\.$id == id).filter(\.$exercise.$id == context.exerciseID)
                    .with(\.$activities).first()
            else {
                throw CocreaError.notFound(.commitment)
            }
            let before = CommitmentDTO(commitment, activities: commitment.activities)
            guard commitment.revision == revision else {
                throw conflict("este compromiso", current: before, submitted: input, revision: commitment.revision)
            }
            try await apply(input, to: commitment, exercise: context.exercise, on: tx)
            commitment.revision += 1
            try await commitment.save(on: tx)
            let after = CommitmentDTO(commitment, activities: commitment.activities)
            try await audit.record("update", entity: "commitment", id: commitment.id, exercise: context.exerciseID, before: before, after: after)
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
            return after
        }
    }

    package static func delete(_ id: UUID, revision: Int?, in context: ExerciseContext, on ctx: UseCaseContext) async throws {
        let revision = try requireRevision(revision)
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard
                let commitment = try await Commitment.query(on: tx).filter(\.$id == id).filter(\.$exercise.$id == context.exerciseID)
                    .with(\.$activities).first()
            else {
                throw CocreaError.notFound(.commitment)
            }
            let before = CommitmentDTO(commitment, activities: commitment.activities)
            guard commitment.revision == revision else {
                throw conflict("este compromiso", current: before, submitted: ["revision": revision], revision: commitment.revision)
            }
            try await refuseIfReported(commitment.activities.compactMap(\.id), "Este compromiso", on: tx)
            try await commitment.delete(on: tx)
            try await audit.deleted("commitment", id: id, exercise: context.exerciseID, before)
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
        }
    }

    /// Progress reported on a sealed plan's activity is the public follow-up's history: deleting the
    /// activity (or its commitment) would take that history with it, so it stays.
    package static func refuseIfReported(_ activityIDs: [UUID], _ what: String, on tx: Database) async throws {
        guard !activityIDs.isEmpty, try await ActivityUpdate.query(on: tx).filter(\.$activity.$id ~~ activityIDs).count() > 0 else { return }
        throw CocreaError.progressReported(what)
    }

    package static func conflict(_ what: String, current: some Encodable & Sendable, submitted: some Encodable & Sendable, revision: Int) -> CocreaError {
        CocreaError.revisionConflict(what, revision: revision, current: current, submitted: submitted)
    }

    /// Validates and copies the input onto the commitment; links must exist and belong to this exercise.
    package static func apply(_ input: CommitmentInput, to commitment: Commitment, exercise: Exercise, on db: Database) async throws {
        var v = Validator()
        let title = v.required(input.title, field: "title", label: "fieldCommitmentTitle", maxLength: 300)
        let category = v.choice(input.category, as: CommitmentCategory.self, field: "category", label: "fieldCategory")
        let startsOn = date(input.startsOn, field: "startsOn", label: "fieldDateStart", validator: &v)
        let endsOn = date(input.endsOn, field: "endsOn", label: "fieldDateEnd", validator: &v)
        if let id = input.nationalCommitmentId {
            if category != .nationalPlan {
                v.add(field: "nationalCommitmentId", "problemNationalLinkNotAligned")
            } else if try await NationalCommitment.query(on: db).filter(\.$id == id).filter(\.$plan == exercise.nationalPlan).first() == nil {
                v.add(field: "nationalCommitmentId", "problemNationalCommitmentUnknown", ["plan": .text(exercise.nationalPlan)])
            }
        }
        if let id = input.dossierItemId {
            let item = try await DossierItem.query(on: db).filter(\.$id == id).filter(\.$exercise.$id == exercise.id!).first()
            if item == nil {
                v.add(field: "dossierItemId", "problemDossierProblemForeign")
            } else if let kind = item?.kind, !DossierItemKind.linkableProblems.contains(kind) {
                v.add(field: "dossierItemId", "problemDossierProblemKind")
            }
        }
        var findings: [ConsultationFindingLink]?
        if let links = input.consultationFindings { findings = try await consultationFindings(links, in: exercise, on: db, validator: &v) }
        var topics: [UUID]?
        if let ids = input.requestTopicIds { topics = try await requestTopics(ids, in: exercise, on: db, validator: &v) }
        let text = { (value: String?, field: String, label: String, lines: CocreaCore.Validator.Lines) -> String in
            v.optional(value, field: field, label: label, maxLength: 5000, lines: lines) ?? ""
        }
        let problem = text(input.problem, "problem", "fieldProblem", .multiple)
        let description = text(input.description, "description", "fieldDescription", .multiple)
        let objective = text(input.objective, "objective", "fieldObjective", .multiple)
        let lead = text(input.leadInstitution, "leadInstitution", "fieldResponsibleInstitution", .single)
        let indicatorName = text(input.indicator?.name, "indicator.name", "fieldIndicatorName", .single)
        let baseline = text(input.indicator?.baseline, "indicator.baseline", "fieldIndicatorBaseline", .single)
        let target = text(input.indicator?.target, "indicator.target", "fieldIndicatorTarget", .single)
        let means = text(input.indicator?.meansOfVerification, "indicator.meansOfVerification", "fieldIndicatorMeansOfVerification", .single)
        let template = template(of: input, validator: &v)
        try v.check()
        commitment.title = title
        commitment.category = category!
        commitment.startsOn = startsOn?.description ?? ""
        commitment.endsOn = endsOn?.description ?? ""
        commitment.problem = problem
        commitment.description = description
        commitment.objective = objective
        commitment.leadInstitution = lead
        commitment.indicatorName = indicatorName
        commitment.indicatorBaseline = baseline
        commitment.indicatorTarget = target
        commitment.indicatorMeansOfVerification = means
        commitment.$nationalCommitment.id = input.nationalCommitmentId
        commitment.$dossierItem.id = input.dossierItemId
        commitment.ogpValuesJSON = template.ogpValues.isEmpty ? nil : JSON.canonical(template.ogpValues)
        commitment.sdgTargetsJSON = template.sdgTargets.isEmpty ? nil : JSON.canonical(template.sdgTargets)
        commitment.genderPerspective = template.genderPerspective
        commitment.coResponsibleJSON = template.coResponsible.isEmpty ? nil : JSON.canonical(template.coResponsible)
        commitment.assumptions = template.assumptions
        commitment.budgetAmount = template.budget?.amount
        commitment.budgetSource = template.budget?.source
        if let findings { commitment.consultationFindingsJSON = findings.isEmpty ? nil : JSON.canonical(findings) }
        if let topics { commitment.requestTopicIDsJSON = topics.isEmpty ? nil : JSON.canonical(topics) }
    }

    /// Survey results of the exercise, each once: a question of one of its surveys the public has seen
    /// (published or closed), and for a choice question optionally one of its options.
    private static func consultationFindings(
        _ links: [ConsultationFindingLink], in exercise: Exercise, on db: Database, validator v: inout CocreaCore.Validator
    ) async throws -> [ConsultationFindingLink] {
        // Past the bound nothing else is looked up: the refusal is already certain.
        guard links.count <= 20 else {
            v.add(field: "consultationFindings", "problemConsultationFindingsTooMany", ["maximum": .number(20)])
            return []
        }
        let surveyIDs = Array(Set(links.map(\.surveyId)))
        let surveys =
            surveyIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await Survey.query(on: db).filter(\.$id ~~ surveyIDs).filter(\.$exercise.$id == exercise.requireID())
                    .filter(\.$status != SurveyStatus.draft.rawValue).all().map { ($0.id!, $0) })
        var kept: [ConsultationFindingLink] = []
        for (index, link) in links.enumerated() {
            let field = "consultationFindings[\(index)]"
            guard let survey = surveys[link.surveyId] else {
                v.add(field: "\(field).surveyId", "problemConsultationSurveyUnknown")
                continue
            }
            guard let question = try survey.definition.questions.first(where: { $0.id == link.questionId }) else {
                v.add(field: "\(field).questionId", "problemConsultationQuestionUnknown", ["question": .text(link.questionId), "survey": .text(survey.title)])
                continue
            }
            let option = link.option.map(PlainText.singleLine).flatMap { $0.isEmpty ? nil : $0 }
            if let option, !question.options.contains(option) {
                v.add(field: "\(field).option", "problemConsultationOptionUnknown", ["option": .text(option), "question": .text(question.prompt)])
                continue
            }
            let finding = ConsultationFindingLink(surveyId: link.surveyId, questionId: question.id, option: option)
            if !kept.contains(finding) { kept.append(finding) }
        }
        return kept
    }

    /// Recurring topics found among the exercise's information requests, each once.
    private static func requestTopics(_ ids: [UUID], in exercise: Exercise, on db: Database, validator v: inout CocreaCore.Validator) async throws -> [UUID] {
        guard ids.count <= 20 else {
            v.add(field: "requestTopicIds", "problemRequestTopicsTooMany", ["maximum": .number(20)])
            return []
        }
        let known =
            ids.isEmpty
            ? []
            : Set(try await RequestTopic.query(on: db).filter(\.$id ~~ ids).filter(\.$exercise.$id == exercise.requireID()).all().compactMap(\.id))
        var kept: [UUID] = []
        for (index, id) in ids.enumerated() {
            guard known.contains(id) else {
                v.add(field: "requestTopicIds[\(index)]", "problemRequestTopicUnknown")
                continue
            }
            if !kept.contains(id) { kept.append(id) }
        }
        return kept
    }

    private struct TemplateFields {
        var ogpValues: [OGPValueDTO] = []
        var sdgTargets: [String] = []
        var genderPerspective: String?
        var coResponsible: [String] = []
        var assumptions: String?
        var budget: BudgetDTO?
    }

    /// The template's fields of issue 18, validated: known OGP values once each, known 2030 Agenda
    /// targets (in the catalogue's order), a budget amount in pesos with its source.
    private static func template(of input: CommitmentInput, validator v: inout CocreaCore.Validator) -> TemplateFields {
        var fields = TemplateFields()
        for (index, entry) in (input.ogpValues ?? []).enumerated() {
            guard let value = v.choice(entry.value, as: OGPValue.self, field: "ogpValues[\(index)].value", label: "fieldOgpValue") else {
                continue
            }
            if fields.ogpValues.contains(where: { $0.value == value }) {
                v.add(field: "ogpValues[\(index)].value", "problemOgpValueRepeated", ["value": .label(value.labelKey)])
                continue
            }
            let why = v.optional(entry.why, field: "ogpValues[\(index)].why", label: "fieldOgpWhy", maxLength: 2000, lines: .multiple)
            fields.ogpValues.append(OGPValueDTO(value: value, why: why ?? ""))
        }
        fields.ogpValues.sort { OGPValue.allCases.firstIndex(of: $0.value)! < OGPValue.allCases.firstIndex(of: $1.value)! }
        let catalogue = SDGCatalogue.shipped
        var targets: [String] = []
        for (index, raw) in (input.sdgTargets ?? []).enumerated() {
            let code = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if code.isEmpty { continue }
            if catalogue.target(code) != nil {
                targets.append(code)
            } else if let goal = Int(code), catalogue.goal(goal) != nil {
                v.add(field: "sdgTargets[\(index)]", "problemSdgGoalNotTarget", ["value": .text(raw), "goal": .number(goal)])
            } else {
                v.add(field: "sdgTargets[\(index)]", "problemSdgTargetUnknown", ["value": .text(raw)])
            }
        }
        fields.sdgTargets = catalogue.ordered(targets)
        fields.genderPerspective = v.optional(
            input.genderPerspective, field: "genderPerspective", label: "fieldGenderPerspective", maxLength: 5000, lines: .multiple)
        for (index, name) in (input.coResponsible ?? []).enumerated() {
            if let name = v.optional(name, field: "coResponsible[\(index)]", label: "fieldCoResponsible", maxLength: 300),
                !fields.coResponsible.contains(name)
            {
                fields.coResponsible.append(name)
            }
        }
        if fields.coResponsible.count > 50 {
            v.add(field: "coResponsible", "problemCoResponsibleTooMany", ["maximum": .number(50)])
        }
        fields.assumptions = v.optional(input.assumptions, field: "assumptions", label: "fieldAssumptions", maxLength: 5000, lines: .multiple)
        let source = v.optional(input.budget?.source, field: "budget.source", label: "fieldBudgetSource", maxLength: 300)
        var amount: String?
        if let raw = input.budget?.amount?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            amount = BudgetAmount.parse(raw)
            if amount == nil {
                v.add(field: "budget.amount", "problemBudgetAmountInvalid", ["value": .text(raw)])
            } else if source == nil {
                v.add(field: "budget.source", "problemBudgetSourceMissing")
            }
        }
        if amount != nil || source != nil {
            fields.budget = BudgetDTO(amount: amount, source: source)
        }
        return fields
    }

    package static func apply(_ input: ActivityInput, to activity: Activity) throws {
        var v = Validator()
        let title = v.required(input.title, field: "title", label: "fieldActivityTitle", maxLength: 300)
        let responsible = v.optional(input.responsible, field: "responsible", label: "fieldResponsible", maxLength: 200) ?? ""
        let institution = v.optional(input.responsibleInstitution, field: "responsibleInstitution", label: "fieldResponsibleInstitution", maxLength: 300) ?? ""
        let due = date(input.dueOn, field: "dueOn", label: "fieldDateDue", validator: &v)
        let start = date(input.startsOn, field: "startsOn", label: "fieldDateActivityStart", validator: &v)
        if let start, let due, start > due {
            v.add(field: "startsOn", "problemActivityStartsAfterDue", ["start": .date(start), "due": .date(due)])
        }
        let deliverable = v.optional(input.deliverable, field: "deliverable", label: "fieldDeliverable", maxLength: 2000, lines: .multiple)
        let means = v.optional(input.meansOfVerification, field: "meansOfVerification", label: "fieldActivityMeansOfVerification", maxLength: 2000)
        var status = ActivityStatus(rawValue: activity.status) ?? .notStarted
        if let raw = input.status {
            status = v.choice(raw, as: ActivityStatus.self, field: "status", label: "fieldStatus") ?? status
        }
        let progress = input.progress ?? activity.progress
        if !(0...100).contains(progress) {
            v.add(field: "progress", "problemProgressRange")
        }
        let weight = input.weight ?? activity.weight
        if !(1...100).contains(weight) {
            v.add(field: "weight", "problemWeightRange")
        }
        try v.check()
        activity.title = title
        activity.responsible = responsible
        activity.responsibleInstitution = institution
        activity.dueOn = due?.description ?? ""
        activity.startsOn = start?.description
        activity.deliverable = deliverable
        activity.meansOfVerification = means
        activity.status = status.rawValue
        activity.progress = progress
        activity.weight = weight
    }

    private static func date(_ raw: String?, field: String, label: FieldLabel, validator v: inout CocreaCore.Validator) -> LocalDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let date = LocalDate(raw) else {
            v.add(field: field, "problemDateOfInvalid", ["value": .text(raw), "label": .field(label)])
            return nil
        }
        return date
    }

    /// A new commitment at revision 1, validated, audited; shared by the page and the API.
    package static func create(_ input: CommitmentInput, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Commitment {
        let commitment = Commitment()
        commitment.$exercise.id = context.exerciseID
        commitment.revision = 1
        try await apply(input, to: commitment, exercise: context.exercise, on: ctx.db)
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            try await commitment.create(on: tx)
            try await audit.created("commitment", id: commitment.id, exercise: context.exerciseID, CommitmentDTO(commitment, activities: []))
            try await PlanVersionOperations.refreezeAfterEdit(context, at: ctx.now, on: tx, audit: audit)
        }
        return commitment
    }

    /// A new activity, not started, at revision 1, validated, audited; shared by the page and the API.
    /// The commitment must be one of the exercise's: a page names both in its path.
    package static func addActivity(_ input: ActivityInput, to commitmentID: UUID, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Activity
    {
        let activity = Activity()
        activity.$commitment.id = commitmentID
        activity.status = ActivityStatus.notStarted.rawValue
        activity.progress = 0
        activity.weight = 1
        activity.revision = 1
        try apply(input, to: activity)
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard try await Commitment.query(on: tx).filter(\.$id == commitmentID).filter(\.$exercise.$id == context.exerciseID).first() != nil else {
                throw CocreaError.notFound(.commitment)
            }
            try await activity.create(on: tx)
            try await audit.created("activity", id: activity.id, exercise: context.exerciseID, ActivityDTO(activity))
            try await PlanVersionOperations.refreezeAfterEdit(context, at: ctx.now, on: tx, audit: audit)
        }
        return activity
    }

    package static func requireRevision(_ revision: Int?) throws -> Int {
        guard let revision else {
            throw CocreaError.validation([
                FieldError(field: "revision", "problemRevisionMissing")
            ])
        }
        return revision
    }

    /// Applies an edit made on `input.revision` to an activity; a stale revision is refused with both versions.
    package static func updateActivity(
        _ id: UUID, with input: ActivityInput, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws
        -> ActivityDTO
    {
        let revision = try requireRevision(input.revision)
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let activity = try await Activity.find(id, on: tx) else { throw CocreaError.notFound(.activity) }
            let before = ActivityDTO(activity)
            guard activity.revision == revision else {
                throw conflict("esta actividad", current: before, submitted: input, revision: activity.revision)
            }
            try apply(input, to: activity)
            activity.revision += 1
            try await activity.save(on: tx)
            try await audit.record("update", entity: "activity", id: activity.id, exercise: context.exerciseID, before: before, after: ActivityDTO(activity))
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
            return ActivityDTO(activity)
        }
    }

    /// Deletes an activity at `revision`, unless progress was reported on it.
    package static func deleteActivity(_ id: UUID, revision: Int?, in context: ExerciseContext, on ctx: UseCaseContext) async throws {
        let revision = try requireRevision(revision)
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let activity = try await Activity.find(id, on: tx) else { throw CocreaError.notFound(.activity) }
            let before = ActivityDTO(activity)
            guard activity.revision == revision else {
                throw conflict("esta actividad", current: before, submitted: ["revision": revision], revision: activity.revision)
            }
            try await refuseIfReported([id], "Esta actividad", on: tx)
            try await activity.delete(on: tx)
            try await audit.deleted("activity", id: id, exercise: context.exerciseID, before)
            try await PlanVersionOperations.refreezeAfterEdit(context, at: now, on: tx, audit: audit)
        }
    }

    /// The exercise's commitments with their origins, as the workspace's API reads them.
    package static func listWithOrigins(_ exerciseID: UUID, on ctx: UseCaseContext) async throws -> [CommitmentDTO] {
        try await CommitmentOrigins.withOrigins(try await list(exerciseID, on: ctx.db), in: exerciseID, on: ctx.db)
    }

    /// One commitment with its activities and origin; the route policy already placed it in the caller's exercise.
    package static func readWithOrigin(_ id: UUID, on ctx: UseCaseContext) async throws -> CommitmentDTO {
        guard let commitment = try await Commitment.query(on: ctx.db).filter(\.$id == id).with(\.$activities).first() else {
            throw CocreaError.notFound(.commitment)
        }
        let read = CommitmentDTO(commitment, activities: commitment.activities)
        return try await CommitmentOrigins.withOrigins([read], in: commitment.$exercise.id, on: ctx.db)[0]
    }

    /// The national plans' commitments a local one may align with, by plan and code; only `plan`'s when given.
    package static func nationalCommitments(plan: String?, on ctx: UseCaseContext) async throws -> [NationalCommitment] {
        var query = NationalCommitment.query(on: ctx.db).sort(\.$plan).sort(\.$code)
        if let plan {
            query = query.filter(\.$plan == plan)
        }
        return try await query.all()
    }

    /// The national plans with a catalogue: an exercise's commitments align to one of them (rule Q2).
    package static func nationalPlans(on ctx: UseCaseContext) async throws -> [String] {
        try await NationalCommitment.query(on: ctx.db).unique().field(\.$plan).sort(\.$plan).all(\.$plan)
    }

    /// The exercise's commitments with their activities, oldest first.
    package static func list(_ exerciseID: UUID, on ctx: UseCaseContext) async throws -> [CommitmentDTO] {
        try await list(exerciseID, on: ctx.db)
    }

    /// The commitments in the order added, each with its activities: one query, a left join. On a database or a
    /// write's transaction (a version is frozen from inside the edit's).
    package static func list(_ exerciseID: UUID, on db: Database) async throws -> [CommitmentDTO] {
        let rows = try await Commitment.query(on: db).filter(\.$exercise.$id == exerciseID)
            .join(Activity.self, on: \Commitment.$id == \Activity.$commitment.$id, method: .left)
            .sort(\.$createdAt).sort(\.$id).all()
        var commitments: [(commitment: Commitment, activities: [Activity])] = []
        for row in rows {
            if commitments.last?.commitment.id != row.id { commitments.append((row, [])) }
            // A commitment without activities comes once, with the activity's columns empty.
            if let activity = try? row.joined(Activity.self), activity.id != nil { commitments[commitments.count - 1].activities.append(activity) }
        }
        return commitments.map { CommitmentDTO($0.commitment, activities: $0.activities) }
    }

    package static func check(_ exerciseID: UUID, on ctx: UseCaseContext) async throws -> PlanCheckDTO {
        try await check(exerciseID, on: ctx.db)
    }

    package static func check(_ exerciseID: UUID, on db: Database) async throws -> PlanCheckDTO {
        check(try await list(exerciseID, on: db), unanswered: try await ProposalOperations.unanswered(in: exerciseID, on: db))
    }

    /// The rules over commitments already read (the plan page shows them and their problems at once),
    /// and rule R1 over the published proposals still without a response.
    package static func check(_ commitments: [CommitmentDTO], unanswered: [UnansweredProposal]) -> PlanCheckDTO {
        let plan = commitments.map { commitment in
            PlanCommitment(
                id: commitment.id!, title: commitment.title, category: commitment.category,
                linkedToNationalPlan: commitment.nationalCommitmentId != nil, linkedToDossierProblem: commitment.dossierItemId != nil,
                startsOn: LocalDate(commitment.startsOn), endsOn: LocalDate(commitment.endsOn),
                indicatorName: commitment.indicator.name ?? "", indicatorBaseline: commitment.indicator.baseline ?? "",
                indicatorTarget: commitment.indicator.target ?? "", indicatorMeansOfVerification: commitment.indicator.meansOfVerification ?? "",
                activities: commitment.activities.map {
                    .init(
                        id: $0.id!, title: $0.title, responsible: $0.responsible, responsibleInstitution: $0.responsibleInstitution, dueOn: LocalDate($0.dueOn))
                })
        }
        let problems = PlanCheck.problems(in: plan, unanswered: unanswered)
        let quality = commitments.map { commitment in
            QualityCommitment(
                id: commitment.id!, title: commitment.title, objective: commitment.objective, indicatorBaseline: commitment.indicator.baseline ?? "",
                indicatorTarget: commitment.indicator.target ?? "", indicatorMeansOfVerification: commitment.indicator.meansOfVerification ?? "",
                ogpReasons: (commitment.ogpValues ?? []).map(\.why),
                activities: commitment.activities.map {
                    .init(title: $0.title, startsOn: LocalDate($0.startsOn ?? ""), dueOn: LocalDate($0.dueOn), deliverable: $0.deliverable ?? "")
                })
        }
        return PlanCheckDTO(valid: problems.isEmpty, problems: problems, warnings: PlanQuality.warnings(in: quality))
    }
}
