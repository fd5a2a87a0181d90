import CocreaCore
import CocreaUseCases
import Vapor

/// The PAL's narrative sections as a page: a form with one field per section, a preview that shows
/// them formatted as the PDF and the reading view will (a plain form post, no JavaScript), and saving.
struct PlanNarrativePages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "plan", "narrative", policy: .exercise(.viewWorkspace), use: show)
        pages.secured(.POST, "exercises", ":exerciseID", "plan", "narrative", policy: .exercise(.facilitate), use: submit)
    }

    struct Body: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var canEdit: Bool
        /// True when the sections shown are the typed ones, not yet saved.
        var previewing: Bool
        var notice: String?
        var sections: [SectionView]
    }

    /// A section as the form and the formatted text show it.
    struct SectionView: Encodable, Sendable {
        var field: String
        /// «II. Contexto normativo»; the introduction's is «I. Introducción».
        var heading: String
        /// The field's label and its preview's heading («I. Introducción: contexto y retos»; the heading otherwise).
        var label: String
        var text: String
        var maxLength: Int
        var blocks: [BlockView]
    }

    /// A paragraph (`items` nil) or a list.
    struct BlockView: Encodable, Sendable {
        var paragraph: String?
        var items: [String]?
    }

    /// What the form posts: the five sections and which button was pressed.
    struct Form: Content {
        var contextAndChallenges, normativeContext, definitions, strategicObjective, specificObjectives: String?
        /// "preview" re-renders the page with the typed text formatted; anything else saves.
        var action: String?

        var input: PlanNarrativeInput {
            PlanNarrativeInput(
                contextAndChallenges: contextAndChallenges, normativeContext: normativeContext, definitions: definitions,
                strategicObjective: strategicObjective, specificObjectives: specificObjectives)
        }
    }

    /// The sections in the PAL's order, headed as the PDF heads them, each with its formatted blocks.
    static func sections(_ narrative: PlanNarrative, words: Words) -> [SectionView] {
        PlanNarrative.Section.allCases.map { section in
            let heading = words[Self.headingKey(section)]
            return SectionView(
                field: section.rawValue, heading: heading,
                label: section == .contextAndChallenges ? words["narrativeContextLabel"] : heading, text: narrative[section],
                maxLength: section.maxLength, blocks: blocks(narrative[section]))
        }
    }

    static func blocks(_ text: String) -> [BlockView] {
        PlanNarrative.blocks(text).map { block in
            switch block {
            case .paragraph(let text): BlockView(paragraph: text)
            case .list(let items): BlockView(items: items)
            }
        }
    }

    private static func headingKey(_ section: PlanNarrative.Section) -> String {
        switch section {
        case .contextAndChallenges: "pdfPlanSectionIntroduction"
        case .normativeContext: "pdfPlanSectionNormativeContext"
        case .definitions: "pdfPlanSectionDefinitions"
        case .strategicObjective: "pdfPlanSectionStrategicObjective"
        case .specificObjectives: "pdfPlanSectionSpecificObjectives"
        }
    }

    func show(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let narrative = try await PlanNarrativeOperations.read(context.exerciseID, on: req.useCases)
        let notice = req.query[String.self, at: "saved"] == nil ? nil : req.words["narrativeSaved"]
        return try await render(context, narrative, previewing: false, notice: notice, on: req)
    }

    func submit(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try req.content.decode(Form.self)
        do {
            if form.action == "preview" {
                return try await render(context, try form.input.validated(), previewing: true, on: req)
            }
            _ = try await PlanNarrativeOperations.save(form.input, in: context, on: req.useCases)
        } catch let error as CocreaError where error.status == 422 {
            // The text as typed stays in the form, so nothing written is lost.
            var typed = PlanNarrative()
            for section in PlanNarrative.Section.allCases {
                typed[section] = PlanNarrative.normalised(form.input.text(of: section))
            }
            return try await render(context, typed, previewing: true, errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
        return Page.redirect("/exercises/\(context.exerciseID)/plan/narrative?saved=1")
    }

    private func render(
        _ context: ExerciseContext, _ narrative: PlanNarrative, previewing: Bool, notice: String? = nil, errors: [FieldError] = [],
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let body = Body(
            exercise: .init(context), canEdit: context.access.allows(.facilitate), previewing: previewing, notice: notice,
            sections: Self.sections(narrative, words: req.words))
        return try await Page.render(
            Templates.planNarrative, title: req.words["narrativeTitle", ["exercise": context.exercise.name]], body, errors: errors, status: status, on: req)
    }
}

extension PlanNarrativeInput {
    fileprivate func text(of section: PlanNarrative.Section) -> String? {
        switch section {
        case .contextAndChallenges: contextAndChallenges
        case .normativeContext: normativeContext
        case .definitions: definitions
        case .strategicObjective: strategicObjective
        case .specificObjectives: specificObjectives
        }
    }
}
