import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The public follow-up, with no account: every exercise with a sealed plan, and a page per
/// exercise with each commitment's progress (an SVG chart with its data table) and history.
struct PublicPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "public", policy: .open, use: index)
        pages.secured(.GET, "public", "exercises", ":exerciseID", policy: .open, use: exercise)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "evidence", ":updateID", policy: .open, use: evidence)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "procurement-packages", ":packageID", policy: .open, use: procurementPackage)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "documents", ":itemID", policy: .open, use: document)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "calendar.ics", policy: .open, use: calendar)
        pages.secured(.GET, "public", "exercises", ":exerciseID", "feed.atom", policy: .open, use: feed)
    }

    struct IndexRow: Encodable, Sendable {
        var id: UUID
        var name, territory: String
        /// Nil while the plan is being co-created: the process is public, its follow-up not yet.
        var sealedAt: String?
        var progress: Int?
    }

    func index(req: Request, _: Authorized) async throws -> Response {
        try await req.application.publicCache.respond(to: req) { try await renderIndex(req) }
    }

    /// One numbered page (25) of the published exercises, searchable by name and territory; only that
    /// page's progress is computed.
    private func renderIndex(_ req: Request) async throws -> Response {
        let (page, query) = Pagination.requested(req)
        let found = try await ExerciseListing.publicPage(search: query, page: page, on: req.db)
        let progress = try await ProgressOperations.indexProgress(of: found.rows.map { $0.id! }, on: req.db)
        let rows = found.rows.map { exercise in
            let followUp = progress[exercise.id!]
            return IndexRow(
                id: exercise.id!, name: exercise.name, territory: exercise.territory,
                sealedAt: followUp.map { req.words.dateTime($0.sealedAt, in: exercise.zone) }, progress: followUp?.progress)
        }
        let surveys = try await SurveyOperations.published(on: req.useCases).map { SurveyLink(id: $0.id!, title: $0.title) }
        let pagination = Pagination(
            path: "/public", query: query, page: found.page, pageCount: found.pageCount,
            total: found.total, words: req.words)
        return try await Page.render(
            Templates.publicIndex, title: req.words["publicTitle"],
            IndexBody(
                exercises: rows, surveys: surveys, path: "/public", pagination: pagination,
                searchable: found.total > ExerciseListing.pageSize || !query.isEmpty),
            forms: false, on: req)
    }

    struct SurveyLink: Encodable, Sendable {
        var id: UUID
        var title: String
    }

    struct IndexBody: Encodable, Sendable {
        var exercises: [IndexRow]
        /// Open consultations anyone can answer.
        var surveys: [SurveyLink]
        var path: String
        var pagination: Pagination
        var searchable: Bool
    }

    struct CommitmentView: Encodable, Sendable {
        var number: Int
        var title, category, objective, completion: String
        var progress: Int
        /// Where the bar and its labels go in the chart (points of a 600-wide view box).
        var y: Int
        var textY: Int
        var barWidth: Int
        var activities: [ActivityView]
        /// Its own page: where it came from, and the form to follow it by email.
        var url: String
        var origin: OriginView
    }

    struct ActivityView: Encodable, Sendable {
        var title, responsible, dueOn, status: String
        /// Where its latest report stands with civil society, apart from its status («Concluida», «Verificado»).
        var verification: String
        var progress: Int
        var weight: Int
        var history: [HistoryEntry]
    }

    /// One report: its text, and its evidence as links (a page elsewhere, or the uploaded file).
    struct HistoryEntry: Encodable, Sendable {
        var text: String
        var evidenceUrl: String?
        var fileUrl: String?
        var fileLabel: String?
        /// Who verified, observed or answered, and when (names, sector and organization; never an email).
        var verifications: [String]

        init(_ update: ActivityUpdateDTO, in zone: TimeZone, language: Language) {
            text = "\(MexicanFormat.numeric(update.reportedAt, in: zone)) · \(update.reportedBy) · \(update.status.label(language)) · \(update.progress) %"
            if !update.note.isEmpty { text += " · \(update.note)" }
            evidenceUrl = update.evidenceUrl
            fileUrl = update.evidenceFile?.url
            fileLabel = update.evidenceFile.map { "\($0.name) (\(MexicanFormat.fileSize($0.size)))" }
            verifications = update.verificationHistory.map { entry in
                let line = language.words[
                    "verificationLine",
                    [
                        "date": MexicanFormat.numeric(entry.at, in: zone), "step": entry.step.label(language), "name": entry.name,
                        "sector": entry.sector?.label(language) ?? "", "organization": entry.organization,
                    ]]
                return entry.text.isEmpty ? line : "\(line): \(entry.text)"
            }
        }
    }

    /// One month of the plan's progress chart, with where its bar goes (a 600 × 200 view box).
    struct MonthView: Encodable, Sendable {
        var label, shortLabel: String
        var progress: Int
        var x, barY, barHeight, barWidth, centerX, valueY: Int

        static let baseline = 170

        static func chart(_ points: [ProgressTimeline.Point], words: Words) -> [MonthView] {
            let slot = points.isEmpty ? 0 : 560 / points.count
            let width = min(40, slot * 7 / 10)
            return points.enumerated().map { index, point in
                let names = words.month(point.month) ?? (point.month, point.month)
                let height = point.progress * 150 / 100
                let x = 30 + index * slot + (slot - width) / 2
                return MonthView(
                    label: names.long, shortLabel: names.short, progress: point.progress, x: x, barY: baseline - height,
                    barHeight: height, barWidth: width, centerX: x + width / 2, valueY: baseline - height - 4)
            }
        }
    }

    struct ExerciseBody: Encodable, Sendable {
        var id: UUID
        var name, territory, sealedAt: String
        /// Whether a plan is sealed: its follow-up (progress, procurement, open data) shows only then.
        var sealed: Bool
        /// The process, public from publication.
        var process: PublicProcessView
        var planVersionId: String
        var progress: Int
        var chartHeight: Int
        var commitments: [CommitmentView]
        /// The plan's progress month by month (chart and table).
        var months: [MonthView]
        var datasets: [String]
        /// The contracting processes of the procurement commitment's OCDS packages.
        var procurement: [ProcurementPages.PublicSection]
    }

    /// A draft is shown only to its members and never cached (the cache is shared by everyone).
    func exercise(req: Request, _: Authorized) async throws -> Response {
        let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        guard isPublic else { return try await renderExercise(exercise, req) }
        return try await req.application.publicCache.respond(to: req) { try await renderExercise(exercise, req) }
    }

    private func renderExercise(_ exercise: Exercise, _ req: Request) async throws -> Response {
        let id = try exercise.requireID()
        let zone = exercise.zone
        let language = req.language
        let page = try await PublicExerciseOperations.page(of: exercise, language: language, on: req.useCases)
        let overview = page.overview
        let process = PublicProcessView(overview, zone: zone, language: language, words: req.words)
        let title = req.words["publicExerciseTitle", ["exercise": exercise.name]]
        guard let sealed = page.sealed else {
            let body = ExerciseBody(
                id: id, name: exercise.name, territory: exercise.territory, sealedAt: "", sealed: false, process: process,
                planVersionId: "", progress: 0, chartHeight: 0, commitments: [], months: [], datasets: [], procurement: [])
            return try await Page.render(Templates.publicExercise, title: title, body, forms: false, on: req)
        }
        let progress = try await ProgressOperations.publicProgress(of: exercise, sealed: sealed, agreed: page.commitments, at: req.now, on: req.db)
        let origins = page.origins
        let body = ExerciseBody(
            id: id, name: progress.name, territory: progress.territory, sealedAt: req.words.dateTime(progress.sealedAt, in: zone),
            sealed: true, process: process,
            planVersionId: progress.planVersionId.uuidString.lowercased(), progress: progress.progress,
            chartHeight: max(progress.commitments.count, 1) * 28 + 8,
            commitments: progress.commitments.enumerated().map { index, commitment in
                CommitmentView(
                    number: index + 1, title: commitment.title, category: commitment.category.label(language), objective: commitment.objective,
                    completion: commitment.completion.label(language), progress: commitment.progress, y: index * 28 + 4,
                    textY: index * 28 + 19, barWidth: commitment.progress * 5,
                    activities: commitment.activities.map { activity in
                        ActivityView(
                            title: activity.title, responsible: "\(activity.responsible), \(activity.responsibleInstitution)",
                            dueOn: LocalDate(activity.dueOn).map(MexicanFormat.numeric) ?? activity.dueOn,
                            status: activity.status.label(language),
                            verification: activity.history.last.map { $0.verification.label(language) } ?? "",
                            progress: activity.progress, weight: activity.weight,
                            history: activity.history.map { HistoryEntry($0, in: zone, language: language) })
                    }, url: "/public/commitments/\(commitment.id.uuidString.lowercased())",
                    origin: OriginView(origins[commitment.id], words: req.words, zone: zone))
            },
            months: MonthView.chart(progress.timeline, words: req.words),
            datasets: OpenDataset.allCases.map(\.rawValue),
            procurement: ProcurementPages.publicSections(
                of: try await ProcurementOperations.publicProcurement(of: exercise, agreed: page.commitments, on: req.db), in: zone, words: req.words))
        return try await Page.render(Templates.publicExercise, title: title, body, forms: false, on: req)
    }

    /// An OCDS package as it was received, for anyone once the plan is public.
    func procurementPackage(req: Request, _: Authorized) async throws -> Response {
        guard let exerciseID = req.parameters.get("exerciseID", as: UUID.self), let packageID = req.parameters.get("packageID", as: UUID.self) else {
            throw CocreaError.notFound(.procurementPackage)
        }
        let package = try await ProcurementOperations.publicPackage(packageID, of: exerciseID, on: req.useCases)
        return FileDownload.response(package.data, mediaType: "application/json", name: package.name)
    }

    /// A public document of the exercise's repository, for anyone once the exercise is public.
    func document(req: Request, _: Authorized) async throws -> Response {
        let (exercise, _) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        guard let itemID = req.parameters.get("itemID", as: UUID.self) else { throw CocreaError.notFound(.document) }
        return FileDownload.response(for: try await PublicExerciseOperations.documentFile(itemID, of: exercise, on: req.useCases))
    }

    /// The roadmap and the tables as a calendar to subscribe to.
    func calendar(req: Request, _: Authorized) async throws -> Response {
        try await feedResponse(req, mediaType: PublicCalendar.mediaType) { exercise in
            try await PublicFeedOperations.calendar(of: exercise, words: req.words, language: req.language, on: req.useCases).rendered()
        }
    }

    /// The exercise's news: publication, roadmap changes, tables, versions, the seal.
    func feed(req: Request, _: Authorized) async throws -> Response {
        try await feedResponse(req, mediaType: AtomFeed.mediaType) { exercise in
            try await PublicFeedOperations.feed(of: exercise, words: req.words, language: req.language, on: req.useCases)
                .rendered(now: req.now)
        }
    }

    /// Like the page: public once published (and cached), a draft only for its members.
    private func feedResponse(_ req: Request, mediaType: String, _ text: @escaping (Exercise) async throws -> String) async throws -> Response {
        let (exercise, isPublic) = try await PublicExerciseOperations.visibleExercise(
            req.parameters.get("exerciseID", as: UUID.self), to: try await req.currentUser(), on: req.useCases)
        let build = {
            let response = Response(status: .ok, body: .init(string: try await text(exercise)))
            response.headers.replaceOrAdd(name: .contentType, value: mediaType)
            return response
        }
        return isPublic ? try await req.application.publicCache.respond(to: req, build: build) : try await build()
    }

    /// An evidence file reported with the progress, for anyone once the plan is public.
    func evidence(req: Request, _: Authorized) async throws -> Response {
        guard let exerciseID = req.parameters.get("exerciseID", as: UUID.self), let updateID = req.parameters.get("updateID", as: UUID.self) else {
            throw CocreaError.notFound(.evidence)
        }
        return FileDownload.response(for: try await ProgressOperations.evidenceFile(updateID, of: exerciseID, on: req.useCases))
    }
}
