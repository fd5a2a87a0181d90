import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The live console of a dialogue table: the facilitator leads it through its stages, takes
/// attendance and presents each dossier item; every actor records doubts, contributions and
/// feedback; every participant's page follows live (Server-Sent Events, `Public/live.js`). It works
/// without JavaScript too: every form posts and comes back to the console.
struct ConsolePages {
    func register(_ pages: RoutesBuilder) {
        let table: [PathComponent] = ["exercises", ":exerciseID", "roundtables", ":roundtableID"]
        pages.secured(.GET, table, policy: .exercise(.viewWorkspace), use: console)
        pages.secured(.GET, table + ["events"], policy: .exercise(.viewWorkspace), use: LiveAPI.events)
        pages.secured(.POST, table + ["stage"], policy: .exercise(.facilitate), use: advance)
        pages.secured(.POST, table + ["presentation"], policy: .exercise(.facilitate), use: present)
        pages.secured(.POST, table + ["attendance"], policy: .exercise(.facilitate), use: attendance)
        pages.secured(.POST, table + ["interventions"], policy: .exercise(.viewWorkspace), use: intervention)
        pages.secured(.GET, table + ["minutes"], policy: .exercise(.viewWorkspace), use: minutes)
        pages.secured(.GET, table + ["minutes.pdf"], policy: .exercise(.viewWorkspace), use: minutesPDF)
        pages.secured(.GET, "exercises", ":exerciseID", "plan", "reading", policy: .exercise(.viewWorkspace), use: reading)
    }

    struct Choice: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct AttendanceRow: Encodable, Sendable {
        var memberId: UUID
        var name, organization, presence: String
    }

    struct InterventionRow: Encodable, Sendable {
        var id: UUID?
        var at, who, kind, item, text: String
    }

    struct Body: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var tableId: UUID
        var when, place, stage, stageKey: String
        var stages: [Choice]
        var nextStage: Choice?
        var inSession: Bool
        var inAnalysis: Bool
        var closed: Bool
        var canFacilitate: Bool
        var presenting: String?
        var presentingBody: String?
        var items: [Choice]
        var members: [Choice]
        var presences: [Choice]
        var kinds: [Choice]
        var attendance: [AttendanceRow]
        var interventions: [InterventionRow]
        var lastEvent: Int
        var notice: String?
    }

    func console(req: Request, authorized: Authorized) async throws -> Response {
        try await render(authorized.requireExercise(), on: req)
    }

    struct StageForm: Content { var stage: String? }

    struct PresentationForm: Content { var dossierItemId: String? }

    func advance(req: Request, authorized: Authorized) async throws -> Response {
        try await act(req, authorized) { context, table in
            _ = try await RoundtableOperations.advance(table, to: try req.content.decode(StageForm.self).stage, in: context, on: req.useCases)
        }
    }

    func present(req: Request, authorized: Authorized) async throws -> Response {
        try await act(req, authorized) { context, table in
            let input = try req.content.decode(PresentationForm.self)
            _ = try await RoundtableOperations.present(input.dossierItemId.flatMap(UUID.init(uuidString:)), at: table, in: context, on: req.useCases)
        }
    }

    func attendance(req: Request, authorized: Authorized) async throws -> Response {
        try await act(req, authorized) { context, table in
            _ = try await TableRecordOperations.recordAttendance(try req.content.decode(AttendanceInput.self), at: table, in: context, on: req.useCases)
        }
    }

    struct InterventionForm: Content {
        var memberId, dossierItemId, kind, text: String?
    }

    func intervention(req: Request, authorized: Authorized) async throws -> Response {
        try await act(req, authorized) { context, table in
            let form = try req.content.decode(InterventionForm.self)
            let input = InterventionInput(
                memberId: form.memberId.flatMap(UUID.init(uuidString:)), dossierItemId: form.dossierItemId.flatMap(UUID.init(uuidString:)),
                kind: form.kind, text: form.text)
            _ = try await TableRecordOperations.recordIntervention(input, at: table, in: context, on: req.useCases)
        }
    }

    /// Runs a console action, then comes back to the console (or shows it again with the error).
    private func act(_ req: Request, _ authorized: Authorized, _ action: (ExerciseContext, Roundtable) async throws -> Void) async throws -> Response {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        do {
            try await action(context, table)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "consola", message: error.message(req.words))] : error.fieldErrors
            return try await render(context, errors: errors, status: HTTPStatus(statusCode: error.status), on: req)
        }
        return Page.redirect("/exercises/\(context.exerciseID)/roundtables/\(table.id!)")
    }

    private func render(_ context: ExerciseContext, errors: [FieldError] = [], status: HTTPStatus = .ok, on req: Request) async throws -> Response {
        let language = req.language
        let words = req.words
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        let exercise = context.exercise
        let console = try await TableRecordOperations.console(of: table, in: context, on: req.useCases)
        let (members, records, items, interventions) = (console.members, console.attendance, console.items, console.interventions)
        let names = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.name) })
        let titles = Dictionary(uniqueKeysWithValues: items.map { ($0.id!, $0.title) })
        let presenting = items.first { $0.id == table.$presentingItem.id }
        let canFacilitate = context.access.allows(.facilitate)
        let body = Body(
            exercise: .init(context), tableId: table.id!, when: words.dateTime(table.startsAt, in: exercise.zone), place: table.place,
            stage: table.stage.label(language), stageKey: table.stage.rawValue,
            stages: RoundtableStage.allCases.map { Choice(value: $0.rawValue, label: $0.label(language), selected: $0 == table.stage) },
            nextStage: table.cancelledAt == nil ? table.stage.next.map { Choice(value: $0.rawValue, label: $0.label(language), selected: false) } : nil,
            inSession: table.cancelledAt == nil && table.stage != .scheduled && table.stage != .closed,
            inAnalysis: table.stage == .analysis, closed: table.stage == .closed, canFacilitate: canFacilitate,
            presenting: presenting?.title, presentingBody: presenting?.body,
            items: items.map { Choice(value: $0.id!.uuidString, label: $0.title, selected: $0.id == presenting?.id) },
            members: members.map { Choice(value: $0.id!.uuidString, label: $0.name, selected: $0.id == context.member?.id) },
            presences: Presence.allCases.map { Choice(value: $0.rawValue, label: $0.label(language), selected: $0 == .present) },
            kinds: InterventionKind.allCases.map { Choice(value: $0.rawValue, label: $0.label(language), selected: false) },
            attendance: members.map { member in
                let record = records[member.id!]
                var presence = record?.presence.label(language) ?? words["consoleNoRecord"]
                if let representedBy = record?.representedBy { presence = words["consoleRepresentedByName", ["presence": presence, "name": representedBy]] }
                return AttendanceRow(memberId: member.id!, name: member.name, organization: member.organization, presence: presence)
            },
            interventions: interventions.map {
                InterventionRow(
                    id: $0.id, at: $0.createdAt.map { LiveEvents.time($0, in: exercise.zone) } ?? "", who: names[$0.$member.id] ?? "",
                    kind: $0.kind.label(language), item: $0.$dossierItem.id.flatMap { titles[$0] } ?? "", text: $0.text)
            },
            lastEvent: console.lastEvent, notice: nil)
        return try await Page.render(
            Templates.console, title: words["consoleTitle", ["exercise": exercise.name]], body, errors: errors, status: status, on: req)
    }

    // MARK: Minutes and reading view

    struct MinutesBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var tableId: UUID
        var closed: Bool
        var date, place: String
        var attendees: [[String]]
        var stages: [String]
        var interventions: [[String]]
        var agreements: [String]
        var conformity: [[String]]
    }

    func minutes(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases)
        let document = try await MinutesOperations.document(of: table, exercise: context.exercise, language: req.language, words: req.words, on: req.useCases)
        let body = MinutesBody(
            exercise: .init(context), tableId: table.id!, closed: table.$minutesFile.id != nil, date: document.date, place: document.place,
            attendees: document.attendees.map { [$0.name, $0.sector, $0.organization, $0.presence] }, stages: document.stages,
            interventions: document.interventions.map { [$0.at, $0.who, $0.kind, $0.item, $0.text] }, agreements: document.agreements,
            conformity: document.conformity.map { [$0.at, $0.who, $0.kind, $0.text] })
        return try await Page.render(Templates.minutes, title: req.words["minutesPageTitle", ["exercise": context.exercise.name]], body, on: req)
    }

    /// The stored minutes once the table closed (the record as it was then).
    func minutesPDF(req: Request, authorized: Authorized) async throws -> Response {
        let table = try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return try await MinutesOperations.storedPDF(of: table, on: req.useCases).response
    }

    /// The plan as the PAL's sections: I–V as the STL is writing them, VI the problems with their
    /// commitments, VII the commitments' templates.
    struct ReadingBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        /// The introduction's «contexto y retos», then II–V.
        var introduction: PlanNarrativePages.SectionView
        var sections: [PlanNarrativePages.SectionView]
        var problems: [ReadingProblem]
        var commitments: [ReadingCommitment]
        /// The record's parts of the introduction (process, participants), and VIII–IX after the commitments.
        var recordIntroduction: [PlanRecordBlock]
        var recordClosing: [PlanRecordBlock]
    }

    struct ReadingProblem: Encodable, Sendable {
        var problem: String
        var commitments: [ReadingCommitmentLink]
    }

    struct ReadingCommitmentLink: Encodable, Sendable {
        var number: Int
        var title: String
    }

    struct ReadingCommitment: Encodable, Sendable {
        var number: Int
        var title, category, objective, indicator, span, leadInstitution: String
        /// The template's fields it records.
        var template: [ReadingDetail]
        var activities: [String]
    }

    struct ReadingDetail: Encodable, Sendable {
        var label, text: String
    }

    /// The template's fields a commitment records, as the reading view lists them.
    static func template(of commitment: CommitmentDTO, words: Words, language: Language) -> [ReadingDetail] {
        let catalogue = SDGCatalogue.shipped
        let rows: [(String, String?)] = [
            (
                "readingOgpValues",
                commitment.ogpValues?.map { $0.why.isEmpty ? $0.value.label(language) : "\($0.value.label(language)): \($0.why)" }
                    .joined(separator: " · ")
            ),
            ("readingSdgTargets", commitment.sdgTargets?.map(catalogue.describe).joined(separator: " · ")),
            ("readingGender", commitment.genderPerspective), ("readingCoResponsible", commitment.coResponsible?.joined(separator: ", ")),
            ("readingAssumptions", commitment.assumptions),
            ("readingBudget", commitment.budget.map { [$0.amount.map(BudgetAmount.display), $0.source].compactMap { $0 }.joined(separator: " · ") }),
        ]
        return rows.compactMap { key, text in text?.isEmpty == false ? ReadingDetail(label: words[key], text: text!) : nil }
    }

    /// The agreements as the plan, in large type for the projector.
    func reading(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let commitments = try await CommitmentOperations.list(context.exerciseID, on: req.useCases)
            .sorted { ($0.category.rawValue, $0.title) < ($1.category.rawValue, $1.title) }
        let narrative = PlanNarrativePages.sections(try await PlanNarrativeOperations.read(context.exerciseID, on: req.useCases), words: req.words)
        let record = try await PlanRecordOperations.current(of: context.exercise, commitments: commitments, on: req.useCases)
        let body = ReadingBody(
            exercise: .init(context), introduction: narrative[0], sections: Array(narrative.dropFirst()),
            problems: PlanProblems.grouped(commitments.map(\.problem)).map { group in
                ReadingProblem(
                    problem: group.problem.isEmpty ? req.words["pdfPlanProblemUnstated"] : group.problem,
                    commitments: group.commitments.map { ReadingCommitmentLink(number: $0 + 1, title: commitments[$0].title) })
            },
            commitments: commitments.enumerated().map { index, commitment in
                let start = LocalDate(commitment.startsOn).map(MexicanFormat.numeric) ?? commitment.startsOn
                let end = LocalDate(commitment.endsOn).map(MexicanFormat.numeric) ?? commitment.endsOn
                return ReadingCommitment(
                    number: index + 1, title: commitment.title, category: commitment.category.label(req.language), objective: commitment.objective,
                    indicator: [
                        commitment.indicator.name, commitment.indicator.baseline.map { req.words["readingIndicator", ["value": $0]] },
                        commitment.indicator.target.map { req.words["readingIndicatorTarget", ["value": $0]] },
                    ]
                    .compactMap { $0 }.joined(separator: " "),
                    span: "\(start) – \(end)", leadInstitution: commitment.leadInstitution,
                    template: Self.template(of: commitment, words: req.words, language: req.language),
                    activities: commitment.activities.map { activity in
                        let details = PlanPages.details(of: activity, words: req.words)
                        return "\(activity.title) — \(activity.responsible), \(LocalDate(activity.dueOn).map(MexicanFormat.numeric) ?? activity.dueOn)"
                            + (details.isEmpty ? "" : " (\(details))")
                    })
            },
            recordIntroduction: record.introduction(req.words), recordClosing: [record.measurementBlock(req.words)] + record.annexBlocks(req.words))
        return try await Page.render(Templates.reading, title: req.words["readingTitle", ["exercise": context.exercise.name]], body, on: req)
    }
}
