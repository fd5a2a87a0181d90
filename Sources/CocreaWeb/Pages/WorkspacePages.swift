import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The exercise workspace: list and create exercises, members, the dossier and its files.
struct WorkspacePages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, policy: .open, use: home)
        pages.secured(.GET, "exercises", policy: .signedIn, use: list)
        pages.secured(.GET, "exercises", "new", policy: .instanceAdministrator, use: newForm)
        pages.secured(.POST, "exercises", policy: .instanceAdministrator, use: create)
        pages.secured(.GET, "exercises", ":exerciseID", policy: .exercise(.viewWorkspace), use: overview)
        pages.secured(.POST, "exercises", ":exerciseID", "publication", policy: .exercise(.facilitate), use: publish)
        pages.secured(.GET, "exercises", ":exerciseID", "members", policy: .exercise(.viewWorkspace), use: members)
        pages.secured(.POST, "exercises", ":exerciseID", "members", policy: .exercise(.manageMembers), use: invite)
        pages.secured(.GET, "exercises", ":exerciseID", "dossier", policy: .exercise(.viewWorkspace), use: dossier)
        pages.secured(
            .POST, "exercises", ":exerciseID", "dossier", policy: .exercise(.contributeDossier),
            body: .collect(maxSize: "21mb"), use: addItem)
        pages.secured(.GET, "exercises", ":exerciseID", "files", ":fileID", policy: .exercise(.viewWorkspace), use: file)
    }

    func home(req: Request, authorized: Authorized) async throws -> Response {
        if authorized.user != nil { return Page.redirect("/exercises") }
        return try await Page.render(Templates.home, title: "Cocrea", Page.Empty(), on: req)
    }

    struct ExerciseRow: Encodable, Sendable {
        var id: UUID
        var name: String
        var territory: String
        var role: String
    }

    struct ListBody: Encodable, Sendable {
        var exercises: [ExerciseRow]
        var canCreate: Bool
        var path = "/exercises"
        var pagination: Pagination
        var searchable: Bool
    }

    /// One numbered page (25) of the person's exercises in name order, searchable by name and territory.
    func list(req: Request, authorized: Authorized) async throws -> Response {
        let user = try authorized.requireUser()
        let language = req.language
        let (page, query) = Pagination.requested(req)
        let found = try await ExerciseListing.workspacePage(for: user, search: query, page: page, on: req.useCases)
        let rows = found.rows.map { exercise, role in
            ExerciseRow(id: exercise.id!, name: exercise.name, territory: exercise.territory, role: (role ?? .administrator).label(language))
        }
        let pagination = Pagination(
            path: "/exercises", query: query, page: found.page, pageCount: found.pageCount,
            total: found.total, words: req.words)
        return try await Page.render(
            Templates.exercises, title: req.words["exercisesTitle"],
            ListBody(
                exercises: rows, canCreate: user.isAdministrator, pagination: pagination,
                searchable: found.total > ExerciseListing.pageSize || !query.isEmpty), on: req)
    }

    struct NewBody: Encodable, Sendable {
        var values: ExerciseInput
        var timeZones: [String]
        /// The national plans with a catalogue: the exercise's commitments align to one of them (rule Q2).
        var nationalPlans: [String]
    }

    func newForm(req: Request, _: Authorized) async throws -> Response {
        try await Page.render(
            Templates.exerciseNew, title: req.words["newExercise"],
            NewBody(
                values: ExerciseInput(timeZone: "America/Mexico_City", nationalPlan: CatalogueLoader.bundledPlan),
                timeZones: MexicanTimeZones.all, nationalPlans: try await CommitmentOperations.nationalPlans(on: req.useCases)), on: req)
    }

    func create(req: Request, authorized: Authorized) async throws -> Response {
        let input = try req.content.decode(ExerciseInput.self)
        let user = try authorized.requireUser()
        do {
            let exercise = try await ExerciseOperations.create(
                try input.validated(), by: AuditActor(user), on: req.useCases)
            return Page.redirect("/exercises/\(exercise.id!)")
        } catch let error as CocreaError where !error.fieldErrors.isEmpty {
            return try await Page.render(
                Templates.exerciseNew, title: req.words["newExercise"],
                NewBody(values: input, timeZones: MexicanTimeZones.all, nationalPlans: try await CommitmentOperations.nationalPlans(on: req.useCases)),
                errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
    }

    struct ExerciseView: Encodable, Sendable {
        var id: UUID
        var name: String
        var territory: String
        var timeZone: String
        var nationalPlan: String
        var canManage: Bool
        var canContribute: Bool
        /// When it was published (nil: a draft only its members see).
        var publishedAt: String?

        init(_ context: ExerciseContext) {
            id = context.exerciseID
            name = context.exercise.name
            territory = context.exercise.territory
            timeZone = context.exercise.timeZone
            nationalPlan = context.exercise.nationalPlan
            canManage = context.access.allows(.manageMembers)
            canContribute = context.access.allows(.contributeDossier)
            publishedAt = context.exercise.publishedAt.map { MexicanFormat.numeric($0, in: context.exercise.zone) }
        }
    }

    struct MemberRow: Encodable, Sendable {
        var name: String
        var email: String
        var sector: String
        var organization: String
        var role: String
    }

    struct ItemRow: Encodable, Sendable {
        var kind: String
        var title: String
        var body: String
        var source: String
        var contributedBy: String
        var createdAt: String
        var late: Bool
        var stlOnly: Bool
        var fileID: UUID?
        var fileName: String?
        var fileSize: String?
    }

    struct Choice: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct WorkspaceBody: Encodable, Sendable {
        var exercise: ExerciseView
        var members: [MemberRow]
        var items: [ItemRow]
        var memberValues: MemberInput
        var itemValues: DossierItemInput
        var sectors: [Choice]
        var roles: [Choice]
        var kinds: [Choice]
    }

    func overview(req: Request, authorized: Authorized) async throws -> Response {
        try await workspace(Templates.exercise, authorized.requireExercise(), on: req)
    }

    /// Publishes the draft (publishing again changes nothing) and goes back to the overview.
    func publish(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        _ = try await PublicationOperations.publish(context, on: req.useCases)
        return Page.redirect("/exercises/\(context.exerciseID)")
    }

    func members(req: Request, authorized: Authorized) async throws -> Response {
        try await workspace(Templates.members, authorized.requireExercise(), on: req)
    }

    func dossier(req: Request, authorized: Authorized) async throws -> Response {
        try await workspace(Templates.dossier, authorized.requireExercise(), on: req)
    }

    func invite(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(MemberInput.self)
        do {
            _ = try await ExerciseOperations.invite(try input.validated(), to: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/members")
        } catch let error as CocreaError where error.status == 422 || error.status == 409 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "email", message: error.message(req.words))] : error.fieldErrors
            return try await workspace(
                Templates.members, context, memberValues: input, errors: errors,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func addItem(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try req.content.decode(DossierItemForm.self)
        let input = form.input
        let upload = form.upload
        do {
            _ = try await ExerciseOperations.addDossierItem(try input.validated(hasFile: upload != nil), upload: upload, to: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/dossier")
        } catch let error as CocreaError where error.status != 500 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "file", message: error.message(req.words))] : error.fieldErrors
            return try await workspace(
                Templates.dossier, context, itemValues: input, errors: errors,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func file(req: Request, authorized: Authorized) async throws -> Response {
        let file = try await ExerciseOperations.dossierFile(
            req.parameters.get("fileID", as: UUID.self), of: authorized.requireExercise().exerciseID, on: req.useCases)
        return FileDownload.response(for: file)
    }

    private func workspace(
        _ template: Template<WorkspaceBody>, _ context: ExerciseContext, memberValues: MemberInput = MemberInput(role: "member"),
        itemValues: DossierItemInput = DossierItemInput(), errors: [FieldError] = [], status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let language = req.language
        let exercise = context.exercise
        let members = try await ExerciseOperations.members(of: context.exerciseID, on: req.useCases)
        let items = try await ExerciseOperations.dossierItems(of: context.exerciseID, on: req.useCases)
        let body = WorkspaceBody(
            exercise: ExerciseView(context),
            members: members.map {
                MemberRow(
                    name: $0.name, email: $0.email, sector: exercise.label(for: $0.sector, language: language),
                    organization: $0.organization, role: $0.role.label(language))
            },
            items: items.map { item, late in
                ItemRow(
                    kind: item.kind.label(language), title: item.title, body: item.body, source: item.source,
                    contributedBy: item.contributedBy,
                    createdAt: item.createdAt.map { req.words.dateTime($0, in: exercise.zone) } ?? "",
                    late: late,
                    stlOnly: item.visibility == .stlOnly, fileID: item.file?.id, fileName: item.file?.name,
                    fileSize: item.file.map { ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file) })
            },
            memberValues: memberValues, itemValues: itemValues,
            sectors: Sector.allCases.map {
                Choice(value: $0.rawValue, label: exercise.label(for: $0, language: language), selected: memberValues.sector == $0.rawValue)
            },
            roles: Role.allCases.map { Choice(value: $0.rawValue, label: $0.label(language), selected: memberValues.role == $0.rawValue) },
            kinds: DossierItemKind.allCases.filter { context.access.mayContribute($0) }.map {
                Choice(value: $0.rawValue, label: $0.label(language), selected: itemValues.kind == $0.rawValue)
            })
        return try await Page.render(template, title: exercise.name, body, errors: errors, status: status, on: req)
    }
}
