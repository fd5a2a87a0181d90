import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The agreements (acuerdos) as a page: commitments, their activities, the plan check listing every
/// unmet rule, and freezing the plan into a version.
struct PlanPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "plan", policy: .exercise(.viewWorkspace), use: plan)
        pages.secured(.POST, "exercises", ":exerciseID", "plan", "commitments", policy: .exercise(.facilitate), use: addCommitment)
        pages.secured(.POST, "exercises", ":exerciseID", "plan", "commitments", ":commitmentID", policy: .exercise(.facilitate), use: updateCommitment)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "commitments", ":commitmentID", "delete", policy: .exercise(.facilitate), use: deleteCommitment)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "commitments", ":commitmentID", "activities",
            policy: .exercise(.facilitate), use: addActivity)
        pages.secured(.POST, "exercises", ":exerciseID", "plan", "versions", policy: .exercise(.facilitate), use: freeze)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "conformity",
            policy: .exercise(.stateConformity), use: stateConformity)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "conformity", "close",
            policy: .exercise(.facilitate), use: closeConformity)
        pages.secured(
            .GET, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "document.pdf",
            policy: .exercise(.viewWorkspace)
        ) { req, authorized in
            try await SigningAPI.documentResponse(
                try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases),
                on: req)
        }
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "signature-requests",
            policy: .exercise(.facilitate), use: requestSignatures)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "activities", ":activityID", "progress",
            policy: .exercise(.reportProgress), body: .collect(maxSize: "21mb"), use: reportProgress)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "progress-import", policy: .exercise(.facilitate),
            body: .collect(maxSize: "5mb"), use: importProgress)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "distribution",
            policy: .exercise(.facilitate), use: distribute)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "versions", ":planVersionID", "paper-copy",
            policy: .exercise(.facilitate), body: .collect(maxSize: "21mb"), use: paperCopy)
    }

    /// The form's fields: links arrive as strings ("" when none is chosen).
    struct CommitmentForm: Content {
        var title, problem, description, objective, startsOn, endsOn, leadInstitution, category: String?
        var indicatorName, indicatorBaseline, indicatorTarget, indicatorMeansOfVerification: String?
        var nationalCommitmentId, dossierItemId: String?
        /// `ogpValues[]=transparency` for each value served (one checkbox group), `ogpWhy[transparency]` its reason.
        var ogpValues: [String]?
        var ogpWhy: [String: String]?
        /// Target codes separated by commas or spaces ("16.10, 16.6").
        var sdgTargets: String?
        /// One organisation per line.
        var coResponsible: String?
        var genderPerspective, assumptions, budgetAmount, budgetSource: String?
        /// `consultationFindings[]=surveyId|questionId|option` for each survey result chosen (one select
        /// per row, "" when a row is left empty); `requestTopicIds[]` for each topic ticked. The form shows
        /// every link, so what it does not send is unlinked.
        var consultationFindings, requestTopicIds: [String]?
        /// The revision the edit was made on (editing only).
        var revision: String?

        var input: CommitmentInput {
            CommitmentInput(
                title: title, problem: problem, description: description, objective: objective, startsOn: startsOn,
                endsOn: endsOn, leadInstitution: leadInstitution,
                indicator: IndicatorDTO(
                    name: indicatorName, baseline: indicatorBaseline, target: indicatorTarget,
                    meansOfVerification: indicatorMeansOfVerification),
                category: category, nationalCommitmentId: nationalCommitmentId.flatMap(UUID.init(uuidString:)),
                dossierItemId: dossierItemId.flatMap(UUID.init(uuidString:)),
                ogpValues: OGPValue.allCases.compactMap { value in
                    let why = ogpWhy?[value.rawValue] ?? ""
                    // A reason typed for a value counts as serving it, box ticked or not.
                    guard ogpValues?.contains(value.rawValue) == true || !why.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
                    return OGPValueInput(value: value.rawValue, why: why)
                },
                sdgTargets: (sdgTargets ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init),
                genderPerspective: genderPerspective,
                coResponsible: (coResponsible ?? "").split(whereSeparator: \.isNewline).map(String.init), assumptions: assumptions,
                budget: BudgetInput(amount: budgetAmount, source: budgetSource),
                consultationFindings: (consultationFindings ?? []).compactMap(ConsultationLinks.finding),
                requestTopicIds: (requestTopicIds ?? []).compactMap(UUID.init(uuidString:)), revision: revision.flatMap { Int($0) })
        }
    }

    /// The survey results and information-request topics a commitment's form offers, its own chosen.
    struct ConsultationLinks: Encodable, Sendable {
        struct Choice: Encodable, Sendable {
            var value, label: String
            var selected: Bool
        }
        /// One survey's questions, each alone and then with each of its answers.
        struct Survey: Encodable, Sendable {
            var title: String
            var choices: [Choice]
        }
        struct FindingRow: Encodable, Sendable {
            var number: Int
            var surveys: [Survey]
        }
        var topics: [Choice]
        /// The commitment's findings, one per row, and two empty rows to add more; none without a survey to choose from.
        var findings: [FindingRow]
        var offersTopics, offersFindings: Bool

        init(_ commitment: CommitmentDTO?, surveys: [CocreaStore.Survey], topics: [CocreaStore.RequestTopic], words: Words) {
            let chosenTopics = commitment?.requestTopicIds ?? []
            // A topic no request gathers any longer is offered only while it stays linked.
            self.topics = topics.filter { $0.size > 0 || chosenTopics.contains($0.id!) }.map { topic in
                Choice(
                    value: topic.id!.uuidString, label: words.count("planRequestTopicChoice", topic.size, ["label": topic.label]),
                    selected: chosenTopics.contains(topic.id!))
            }
            let offered = surveys.compactMap { survey in (try? survey.definition).map { (survey, $0.questions) } }
            let chosen = commitment?.consultationFindings ?? []
            let rows: [ConsultationFindingLink?] = offered.isEmpty ? [] : chosen + Array(repeating: nil, count: max(0, min(2, 20 - chosen.count)))
            findings = rows.enumerated().map { index, link in
                FindingRow(
                    number: index + 1,
                    surveys: offered.map { survey, questions in
                        Survey(
                            title: survey.title,
                            choices: questions.flatMap { question in
                                ([nil] + question.options).map { option in
                                    let finding = ConsultationFindingLink(surveyId: survey.id!, questionId: question.id, option: option)
                                    return Choice(
                                        value: Self.value(of: finding),
                                        label: option.map { words["planConsultationFindingAnswer", ["question": question.prompt, "option": $0]] }
                                            ?? words["planConsultationFindingQuestion", ["question": question.prompt]],
                                        selected: finding == link)
                                }
                            })
                    })
            }
            offersTopics = !self.topics.isEmpty
            offersFindings = !findings.isEmpty
        }

        static func value(of finding: ConsultationFindingLink) -> String {
            "\(finding.surveyId.uuidString)|\(finding.questionId)|\(finding.option ?? "")"
        }

        /// The finding a row's value names; an empty row names none.
        static func finding(_ value: String) -> ConsultationFindingLink? {
            let parts = value.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let survey = UUID(uuidString: parts[0]) else { return nil }
            return ConsultationFindingLink(surveyId: survey, questionId: parts[1], option: parts[2].isEmpty ? nil : parts[2])
        }
    }

    /// The template's fields of a commitment as its form shows them (empty for a new one).
    struct TemplateFields: Encodable, Sendable {
        struct Value: Encodable, Sendable {
            var value, label, whyLabel, why: String
            var served: Bool
        }
        var values: [Value]
        var sdgTargets, coResponsible, genderPerspective, assumptions, budgetAmount, budgetSource: String
        /// What the commitment records, as lines the page shows under it.
        var summary: [String]

        init(_ commitment: CommitmentDTO?, words: Words, language: Language) {
            let served = Dictionary((commitment?.ogpValues ?? []).map { ($0.value, $0.why) }, uniquingKeysWith: { first, _ in first })
            values = OGPValue.allCases.map {
                Value(
                    value: $0.rawValue, label: $0.label(language), whyLabel: words["planOgpWhy", ["value": $0.label(language)]], why: served[$0] ?? "",
                    served: served[$0] != nil)
            }
            sdgTargets = (commitment?.sdgTargets ?? []).joined(separator: ", ")
            coResponsible = (commitment?.coResponsible ?? []).joined(separator: "\n")
            genderPerspective = commitment?.genderPerspective ?? ""
            assumptions = commitment?.assumptions ?? ""
            budgetAmount = commitment?.budget?.amount ?? ""
            budgetSource = commitment?.budget?.source ?? ""
            var lines: [String] = []
            if let values = commitment?.ogpValues, !values.isEmpty {
                lines.append(words["planOgpValuesLine", ["values": values.map { $0.value.label(language) }.joined(separator: ", ")]])
            }
            if !sdgTargets.isEmpty { lines.append(words["planSdgTargetsLine", ["targets": sdgTargets]]) }
            if let budget = commitment?.budget {
                lines.append(
                    words["planBudgetLine", ["amount": budget.amount.map(BudgetAmount.display) ?? words["planBudgetNoAmount"], "source": budget.source ?? ""]])
            }
            summary = lines
        }
    }

    struct Choice: Encodable, Sendable {
        var value: String
        var label: String
    }

    struct ActivityRow: Encodable, Sendable {
        var id: UUID?
        var title, responsible, institution, dueOn, status: String
        /// Its start, deliverable and means of verification, as a line under its title.
        var details: String
        var progress: Int
        var weight: Int
    }

    struct CommitmentRow: Encodable, Sendable {
        var id: UUID
        var title, category, span, leadInstitution, indicator, link, objective: String
        var activities: [ActivityRow]
        var problems: [String]
        /// The quality review's advice, beside the problems; it never blocks freezing.
        var warnings: [String]
        /// The stored values, for the edit form.
        var edit: CommitmentDTO
        /// The OCDS packages, on the procurement commitment only.
        var procurement: ProcurementPages.CommitmentPackages?
        var template: TemplateFields
        var links: ConsultationLinks
        /// «Origen del compromiso», as the members read it.
        var origin: OriginView
    }

    /// Two people edited the same commitment: theirs (now stored) and yours, side by side.
    struct ConflictView: Encodable, Sendable {
        var title: String
        var rows: [[String]]
    }

    struct Body: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var commitments: [CommitmentRow]
        var generalProblems: [String]
        var valid: Bool
        var canFacilitate: Bool
        var categories: [Choice]
        var nationalCommitments: [Choice]
        var dossierProblems: [Choice]
        var versions: [String]
        var latestVersion: LatestVersion?
        /// Once a plan is sealed, its activities' progress is reported here and followed publicly.
        var sealed: Bool
        /// The institution, the facilitation and administrators report progress; other members only read it.
        var canReportProgress: Bool
        /// Each activity's latest report and its verification by civil society, once the plan is sealed.
        var verification: VerificationPages.Section?
        var activityStatuses: [Choice]
        /// The template's fields of the new commitment form.
        var newTemplate: TemplateFields
        var newLinks: ConsultationLinks
        var conflict: ConflictView?
        var notice: String?
    }

    struct StanceRow: Encodable, Sendable {
        var name, stance, reason, statedAt: String
    }

    struct LatestVersion: Encodable, Sendable {
        var id: UUID
        var number: Int
        var open: Bool
        var canState: Bool
        var stances: [StanceRow]
        var choices: [Choice]
        var signing: SigningView
    }

    /// Rule S1 on the page: who signed, who is pending, and the sealed PAL once everyone did.
    struct SigningView: Encodable, Sendable {
        var requested: Bool
        var sealed: Bool
        var sealedSha256: String?
        var rows: [SignatureRow]
        /// Who was sent the sealed PAL, and whether it arrived.
        var recipients: [RecipientRow]
        /// Everyone signed and the seal waits for its trusted timestamp.
        var sealPending = false
        /// Its timestamp failed for good: why, and what the operator must do.
        var timestampFailure: String?
    }

    struct RecipientRow: Encodable, Sendable {
        var name, email, state: String
    }

    struct SignatureRow: Encodable, Sendable {
        var memberId: UUID
        var name, organization, state: String
        /// Not signed yet and not locked: the facilitator may mark that they signed the paper copy.
        var mayMarkPaper: Bool
    }

    func plan(req: Request, authorized: Authorized) async throws -> Response {
        try await render(authorized.requireExercise(), on: req)
    }

    func addCommitment(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try req.content.decode(CommitmentForm.self)
        let commitment: Commitment
        do {
            commitment = try await CommitmentOperations.create(form.input, in: context, on: req.useCases)
        } catch let error as CocreaError {
            return try await render(context, errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
        return Page.redirect("/exercises/\(context.exerciseID)/plan#compromiso-\(commitment.id!)")
    }

    func updateCommitment(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let id = try req.parameters.require("commitmentID", as: UUID.self)
        let form = try req.content.decode(CommitmentForm.self)
        do {
            _ = try await CommitmentOperations.update(id, with: form.input, in: context, on: req.useCases)
        } catch let error as CocreaError where error.code == ErrorCode.revisionConflict.rawValue {
            let current = try await CommitmentOperations.list(context.exerciseID, on: req.useCases).first { $0.id == id }
            let words = req.words
            func row(_ label: String, _ theirs: String?, _ yours: String?) -> [String] { [words[label], theirs ?? "", yours ?? ""] }
            let rows = [
                row("title", current?.title, form.title), row("planProblem", current?.problem, form.problem),
                row("description", current?.description, form.description), row("objective", current?.objective, form.objective),
                row("startsOn", current?.startsOn, form.startsOn), row("endsOn", current?.endsOn, form.endsOn),
                row("leadInstitution", current?.leadInstitution, form.leadInstitution),
                row("indicatorHeading", current?.indicator.name, form.indicatorName), row("baseline", current?.indicator.baseline, form.indicatorBaseline),
                row("target", current?.indicator.target, form.indicatorTarget),
                row("meansOfVerification", current?.indicator.meansOfVerification, form.indicatorMeansOfVerification),
            ]
            return try await render(
                context, errors: [FieldError(field: "conflicto", message: error.message(req.words))],
                conflict: ConflictView(title: current?.title ?? "", rows: rows), status: .conflict, on: req)
        } catch let error as CocreaError where error.status == 422 {
            return try await render(context, errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
        return Page.redirect("/exercises/\(context.exerciseID)/plan#compromiso-\(id)")
    }

    func deleteCommitment(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        struct Form: Content { var revision: String? }
        let form = try req.content.decode(Form.self)
        do {
            try await CommitmentOperations.delete(
                try req.parameters.require("commitmentID", as: UUID.self),
                revision: form.revision.flatMap { Int($0) }, in: context, on: req.useCases)
        } catch let error as CocreaError where error.status == 409 || error.status == 422 {
            return try await render(
                context, errors: [FieldError(field: "conflicto", message: error.message(req.words))], status: HTTPStatus(statusCode: error.status), on: req)
        }
        return try await render(context, notice: req.words["planDeleted"], on: req)
    }

    func addActivity(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(ActivityInput.self)
        guard let commitmentID = req.parameters.get("commitmentID", as: UUID.self) else { throw CocreaError.notFound(.commitment) }
        do {
            _ = try await CommitmentOperations.addActivity(input, to: commitmentID, in: context, on: req.useCases)
        } catch let error as CocreaError where error.code != ErrorCode.notFound.rawValue {
            return try await render(context, errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
        return Page.redirect("/exercises/\(context.exerciseID)/plan#compromiso-\(commitmentID)")
    }

    func freeze(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let (version, created) = try await PlanVersionOperations.freeze(context, on: req.useCases)
            let notice =
                created
                ? req.words["planFrozenNotice", ["number": "\(version.number)", "sha": String(version.sha256.prefix(12))]]
                : req.words["planUnchanged", ["number": "\(version.number)"]]
            return try await render(context, notice: notice, on: req)
        } catch let error as CocreaError
            where error.code == ErrorCode.planInvalid.rawValue || error.code == ErrorCode.proposalWithoutResponse.rawValue
        {
            // The rules unmet, R1's proposals among them, are listed on the page.
            return try await render(
                context, errors: [FieldError(field: "congelar", message: req.words["planFreezeInvalid"])],
                status: error.code == ErrorCode.planInvalid.rawValue ? .unprocessableEntity : .conflict, on: req)
        }
    }

    func stateConformity(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let version = try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases)
        do {
            _ = try await ConformityOperations.state(try req.content.decode(ConformityInput.self), on: version, in: context, on: req.useCases)
        } catch let error as CocreaError where error.status < 500 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "conformidad", message: error.message(req.words))] : error.fieldErrors
            return try await render(context, errors: errors, status: HTTPStatus(statusCode: error.status), on: req)
        }
        return try await render(context, notice: req.words["planConformityRecorded"], on: req)
    }

    func requestSignatures(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let status = try await SigningOperations.request(
                try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
                on: req.useCases)
            let pending = status.signatures.filter { $0.signedAt == nil }.count
            return try await render(context, notice: req.words.count("planLinksSent", pending), on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await render(
                context, errors: [FieldError(field: "firmas", message: error.message(req.words))], status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func reportProgress(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let activityID = try req.parameters.require("activityID", as: UUID.self)
        do {
            let (input, upload) = try ProgressForm.decode(req)
            _ = try await ProgressOperations.report(input, evidence: upload, on: activityID, in: context, on: req.useCases)
            return try await render(context, notice: req.words["planProgressRecorded"], on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await render(
                context, errors: error.fieldErrors.isEmpty ? [FieldError(field: "avance", message: error.message(req.words))] : error.fieldErrors,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func importProgress(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        guard let file = (try? req.content.decode(SigningAPI.PaperCopyForm.self))?.file, file.data.readableBytes > 0 else {
            return try await render(
                context, errors: [FieldError(field: "progress-file", message: req.words["planChooseProgressFile"])], status: .unprocessableEntity, on: req)
        }
        do {
            let count = try await ProgressOperations.importProgress(
                csv: String(decoding: file.data.readableBytesView, as: UTF8.self), in: context, on: req.useCases)
            return try await render(context, notice: req.words.count("planImported", count), on: req)
        } catch let error as CocreaError where error.status == 422 {
            return try await render(
                context, errors: [FieldError(field: "progress-file", message: error.message(req.words))] + error.fieldErrors,
                status: .unprocessableEntity, on: req)
        }
    }

    func distribute(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let status = try await PlanDistributionOperations.distribute(
                try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
                on: req.useCases)
            return try await render(context, notice: req.words.count("planDistributed", status.recipients.count), on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await render(
                context, errors: [FieldError(field: "envio", message: error.message(req.words))], status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func paperCopy(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let version = try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases)
        let form = try? req.content.decode(SigningAPI.PaperCopyUpload.self)
        guard let file = form?.file, file.data.readableBytes > 0 else {
            return try await render(
                context, errors: [FieldError(field: "paper-file", message: req.words["planChoosePaperFile"])],
                status: .unprocessableEntity, on: req)
        }
        do {
            let status = try await SigningOperations.paperCopy(
                version, file: Data(file.data.readableBytesView), signedBy: form?.signedBy ?? [],
                in: context, on: req.useCases)
            let missing = status.signatures.filter { $0.signedAt == nil }.count
            return try await render(
                context, notice: status.sealed ? req.words["planPaperSealed"] : req.words.count("planPaperMissing", missing),
                on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            return try await render(
                context, errors: [FieldError(field: "paper-file", message: error.message(req.words))], status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func closeConformity(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        _ = try await ConformityOperations.close(
            try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
            on: req.useCases)
        return try await render(context, notice: req.words["planConformityClosedNotice"], on: req)
    }

    /// The plan page, also as the answer of the procurement forms (ProcurementPages).
    func render(
        _ context: ExerciseContext, notice: String? = nil, errors: [FieldError] = [], conflict: ConflictView? = nil,
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let language = req.language
        let words = req.words
        let exercise = context.exercise
        let overview = try await PlanOverview.read(exercise, on: req.useCases)
        let commitments = overview.commitments
        let check = overview.check
        let catalogue = overview.catalogue
        let titles = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.id!, "\($0.code) · \($0.title)") })
        let problems = overview.problems
        let problemTitles = Dictionary(uniqueKeysWithValues: problems.map { ($0.id!, $0.title) })
        let versions = overview.versions
        var latest: LatestVersion?
        if let current = overview.latest {
            let version = current.version
            let signing = current.signing
            // Read only while the seal waits, so the page's usual queries stay as they are.
            let timestampFailure = signing.sealPending ? try await TimestampOperations.failure(of: signing.planVersionId, on: req.useCases.db) : nil
            // The signing status lists every member of the exercise: their names come from it.
            let names = Dictionary(uniqueKeysWithValues: signing.signatures.map { ($0.memberId, $0.name) })
            latest = LatestVersion(
                id: version.id, number: version.number, open: version.conformityClosedAt == nil,
                canState: context.access.allows(.stateConformity) && version.conformityClosedAt == nil,
                stances: current.stances.map {
                    StanceRow(
                        name: names[$0.memberId] ?? "", stance: $0.stance.label(language), reason: $0.reason ?? "",
                        statedAt: req.words.dateTime($0.statedAt, in: exercise.zone))
                },
                choices: Stance.allCases.map { Choice(value: $0.rawValue, label: $0.label(language)) },
                signing: SigningView(
                    requested: signing.requestedAt != nil, sealed: signing.sealed, sealedSha256: signing.sealedSha256,
                    rows: signing.signatures.map { row in
                        let state =
                            row.signedAt.map {
                                words["planSignedOn", ["date": words.dateTime($0, in: exercise.zone)]]
                                    + (row.method == "paper" ? " " + words["planSignedOnPaperSuffix"] : "")
                            }
                            ?? words[row.locked ? "planLinkLocked" : row.requested ? "planSignaturePending" : "planNotRequested"]
                        return SignatureRow(
                            memberId: row.memberId, name: row.name, organization: row.organization, state: state,
                            mayMarkPaper: row.signedAt == nil && !row.locked)
                    },
                    recipients: current.distribution.recipients.map { recipient in
                        let state =
                            switch recipient.state {
                            case .sent: words["planDelivered", ["date": recipient.sentAt.map { words.dateTime($0, in: exercise.zone) } ?? ""]]
                            case .failed: words["planDeliveryFailed", ["error": recipient.lastError ?? ""]]
                            case .interrupted: words["planDeliveryInterrupted"]
                            case .pending, .sending: recipient.attempts > 0 ? words.count("planDeliveryRetrying", recipient.attempts) : words["planInOutbox"]
                            }
                        return RecipientRow(name: recipient.name, email: recipient.email, state: state)
                    }, sealPending: signing.sealPending, timestampFailure: timestampFailure?.message(words)))
        }
        let procurement = try ProcurementPages.views(of: commitments, packages: overview.packages, in: context, words: words)
        let origins = overview.origins
        let verification =
            versions.contains { $0.sealedAt != nil }
            ? VerificationPages.section(context, commitments: commitments, latest: overview.reports, words: words, language: language) : nil
        let body = Body(
            exercise: .init(context),
            commitments: commitments.map { commitment in
                let start = LocalDate(commitment.startsOn).map(words.date) ?? words["noDate"]
                let end = LocalDate(commitment.endsOn).map(words.date) ?? words["noDate"]
                let link = commitment.nationalCommitmentId.flatMap { titles[$0] } ?? commitment.dossierItemId.flatMap { problemTitles[$0] } ?? ""
                return CommitmentRow(
                    id: commitment.id!, title: commitment.title, category: commitment.category.label(language),
                    span: "\(start) – \(end)", leadInstitution: commitment.leadInstitution,
                    indicator: [
                        commitment.indicator.name, commitment.indicator.baseline.map { words["planBaseline", ["value": $0]] },
                        commitment.indicator.target.map { words["planTarget", ["value": $0]] },
                    ].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " · "),
                    link: link, objective: commitment.objective,
                    activities: commitment.activities.map {
                        ActivityRow(
                            id: $0.id, title: $0.title, responsible: $0.responsible, institution: $0.responsibleInstitution,
                            dueOn: LocalDate($0.dueOn).map(words.date) ?? words["noDate"],
                            status: (ActivityStatus(rawValue: $0.status) ?? .notStarted).label(language), details: Self.details(of: $0, words: words),
                            progress: $0.progress,
                            weight: $0.weight ?? 1)
                    },
                    problems: check.problems.filter { $0.commitmentId == commitment.id }.map { $0.message(words) },
                    warnings: check.warnings.filter { $0.commitmentId == commitment.id }.map { $0.message(words) }, edit: commitment,
                    procurement: procurement[commitment.id!], template: TemplateFields(commitment, words: words, language: language),
                    links: ConsultationLinks(commitment, surveys: overview.surveys, topics: overview.topics, words: words),
                    origin: OriginView(origins[commitment.id!], words: words, zone: exercise.zone))
            },
            generalProblems: check.problems.filter { $0.commitmentId == nil }.map { $0.message(words) },
            valid: check.valid, canFacilitate: context.access.allows(.facilitate),
            categories: CommitmentCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label(language)) },
            nationalCommitments: catalogue.map { Choice(value: $0.id!.uuidString, label: ($0.isAxis ? words["planAxis"] + " " : "") + titles[$0.id!]!) },
            dossierProblems: problems.map { Choice(value: $0.id!.uuidString, label: $0.title) },
            versions: versions.map {
                words["planVersionLine", ["number": "\($0.number)", "date": words.dateTime($0.frozenAt, in: exercise.zone), "sha": $0.sha256]]
            },
            latestVersion: latest, sealed: versions.contains { $0.sealedAt != nil }, canReportProgress: context.access.allows(.reportProgress),
            verification: verification,
            activityStatuses: ActivityStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label(language)) },
            newTemplate: TemplateFields(nil, words: words, language: language),
            newLinks: ConsultationLinks(nil, surveys: overview.surveys, topics: overview.topics, words: words), conflict: conflict,
            notice: notice)
        return try await Page.render(Templates.plan, title: exercise.name, body, errors: errors, status: status, on: req)
    }

    static func details(of activity: ActivityDTO, words: Words) -> String {
        [
            LocalDate(activity.startsOn ?? "").map { words["planActivityStartsLine", ["date": words.date($0)]] },
            activity.deliverable?.isEmpty == false ? words["planDeliverableLine", ["value": activity.deliverable!]] : nil,
            activity.meansOfVerification?.isEmpty == false ? words["planVerificationLine", ["value": activity.meansOfVerification!]] : nil,
        ].compactMap { $0 }.joined(separator: " · ")
    }

}
