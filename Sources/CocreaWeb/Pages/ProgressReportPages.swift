import CocreaCore
import CocreaUseCases
import Vapor

/// Progress reports in the pages: the workspace page lists the exercise's reports and lets the
/// facilitation issue the next one (a plain form; the final report's ratings and lessons in their own
/// fieldset), and the public page lists every report with its sealed PDF.
struct ProgressReportPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "progress-reports", policy: .exercise(.viewWorkspace), use: show)
        pages.secured(.POST, "exercises", ":exerciseID", "progress-reports", policy: .exercise(.facilitate), use: issue)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "progress-reports", policy: .open, use: publicList)
    }

    struct ReportView: Encodable, Sendable {
        var number: Int
        var kind: String
        var issuedAt: String
        var progress: Int
        var pdf: String
        var pdfSha256: String
        var download: String
    }

    struct Option: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct RatingRow: Encodable, Sendable {
        var id: String
        var title: String
        var ratingLabel: String
        var reasonLabel: String
        var options: [Option]
        var reason: String
    }

    struct Body: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var sealed: Bool
        var closed: Bool
        var canIssue: Bool
        var notice: String?
        var reports: [ReportView]
        var kinds: [Option]
        var commitments: [RatingRow]
        var lessonsLearned: String
    }

    struct PublicBody: Encodable, Sendable {
        var heading: String
        var exerciseURL: String
        var jsonURL: String
        var reports: [ReportView]
    }

    /// The form as a browser sends it: `rating[<commitment id>]` and `reason[<commitment id>]`.
    struct IssueForm: Content {
        var kind: String?
        var rating: [String: String]?
        var reason: [String: String]?
        var lessonsLearned: String?
    }

    func show(req: Request, authorized: Authorized) async throws -> Response {
        try await render(authorized.requireExercise(), form: nil, on: req)
    }

    func issue(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = (try? req.content.decode(IssueForm.self)) ?? IssueForm()
        let commitmentIDs = Set((form.rating ?? [:]).keys).union((form.reason ?? [:]).keys).sorted()
        let input = ProgressReportInput(
            kind: form.kind,
            ratings: commitmentIDs.map { .init(commitmentId: $0, rating: form.rating?[$0], reason: form.reason?[$0]) },
            lessonsLearned: form.lessonsLearned)
        do {
            let issued = try await ProgressReportOperations.issue(input, in: context, on: req.useCases)
            return try await render(
                context, form: nil,
                notice: req.words["progressReportsIssued", ["number": "\(issued.report.number)", "count": "\(issued.recipients)"]], on: req)
        } catch let error as CocreaError where error.status == 422 || error.status == 409 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "kind", message: error.message(req.words))] : error.fieldErrors
            return try await render(context, form: form, errors: errors, status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func publicList(req: Request, _: Authorized) async throws -> Response {
        guard let id = req.parameters.get("exerciseID", as: UUID.self) else { throw CocreaError.notFound(.exercise) }
        let overview = try await ProgressReportOperations.overview(of: id, at: req.now, on: req.useCases)
        guard overview.sealed else { throw CocreaError.notPublic }
        let words = req.words
        let body = PublicBody(
            heading: words["progressReportsPublicHeading", ["exercise": overview.exerciseName]],
            exerciseURL: "/public/exercises/\(id.uuidString.lowercased())",
            jsonURL: "/api/v1/public/exercises/\(id.uuidString.lowercased())/progress-reports",
            reports: overview.reports.map { view($0, zone: overview.zone, words: words) })
        return try await Page.render(Templates.publicProgressReports, title: body.heading, body, forms: false, on: req)
    }

    private func view(_ report: ProgressReportDTO, zone: TimeZone, words: Words) -> ReportView {
        let issuedAt = MexicanFormat.numeric(report.issuedAt, in: zone)
        return ReportView(
            number: report.number, kind: words.label(report.kind), issuedAt: issuedAt, progress: report.progress, pdf: report.pdf,
            pdfSha256: report.pdfSha256,
            download: words["progressReportsDownload", ["number": "\(report.number)", "kind": words.label(report.kind), "issuedAt": issuedAt]])
    }

    private func render(
        _ context: ExerciseContext, form: IssueForm?, notice: String? = nil, errors: [FieldError] = [], status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let words = req.words
        let overview = try await ProgressReportOperations.overview(of: context.exerciseID, at: req.now, on: req.useCases)
        let chosenKind = form?.kind ?? ProgressReportKind.interim.rawValue
        let body = Body(
            exercise: .init(context), sealed: overview.sealed, closed: overview.reports.contains { $0.kind == .final },
            canIssue: context.access.allows(.facilitate), notice: notice,
            reports: overview.reports.map { view($0, zone: overview.zone, words: words) },
            kinds: ProgressReportKind.allCases.map { Option(value: $0.rawValue, label: words.label($0), selected: $0.rawValue == chosenKind) },
            commitments: overview.commitments.map { id, title in
                let key = id.uuidString.lowercased()
                let chosen = form?.rating?[key] ?? ""
                return RatingRow(
                    id: key, title: title, ratingLabel: words["progressReportsRatingFor", ["commitment": title]],
                    reasonLabel: words["progressReportsReasonFor", ["commitment": title]],
                    options: [Option(value: "", label: words["progressReportsChooseRating"], selected: chosen.isEmpty)]
                        + OpenedGovernment.allCases.map { Option(value: $0.rawValue, label: words.label($0), selected: $0.rawValue == chosen) },
                    reason: form?.reason?[key] ?? "")
            },
            lessonsLearned: form?.lessonsLearned ?? "")
        return try await Page.render(
            Templates.progressReports, title: "\(words["progressReportsHeading"]) · \(context.exercise.name)", body, errors: errors, status: status,
            on: req)
    }
}
