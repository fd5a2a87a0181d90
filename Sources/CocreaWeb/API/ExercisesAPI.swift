import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// JSON API v1 for the workspace: the same operations as the pages.
struct ExercisesAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "exercises", policy: .signedIn, use: list)
        api.secured(.POST, "exercises", policy: .instanceAdministrator, use: create)
        api.secured(.GET, "exercises", ":exerciseID", policy: .exercise(.viewWorkspace), use: show)
        api.secured(.GET, "exercises", ":exerciseID", "members", policy: .exercise(.viewWorkspace), use: members)
        api.secured(.POST, "exercises", ":exerciseID", "members", policy: .exercise(.manageMembers), use: invite)
        api.secured(.PATCH, "exercises", ":exerciseID", "members", ":memberID", policy: .exercise(.manageMembers), use: updateIdentifiers)
        api.secured(.GET, "exercises", ":exerciseID", "dossier", "items", policy: .exercise(.viewWorkspace), use: items)
        api.secured(
            .POST, "exercises", ":exerciseID", "dossier", "items", policy: .exercise(.contributeDossier),
            body: .collect(maxSize: "21mb"), use: addItem)
        api.secured(.GET, "national-commitments", policy: .open, use: nationalCommitments)
        api.secured(.PUT, "national-commitments", policy: .instanceAdministrator, body: .collect(maxSize: "2mb"), use: replaceCatalogue)
        api.secured(.GET, "deliveries", policy: .instanceAdministrator, use: deliveries)
    }

    /// A page of the exercises the caller sees, in name order: still a bare array, the next page in
    /// `Link: <…>; rel="next"` and `X-Next-Cursor` (absent on the last page).
    func list(req: Request, authorized: Authorized) async throws -> Response {
        let user = try authorized.requireUser()
        let (limit, after) = try ExerciseListing.apiParameters(
            limit: req.query[String.self, at: "limit"],
            cursor: req.query[String.self, at: "cursor"])
        let (exercises, next) = try await ExerciseListing.apiPage(for: user, limit: limit, after: after, on: req.useCases)
        let response = try await exercises.map(ExerciseDTO.init).encodeResponse(for: req)
        if let next {
            response.headers.replaceOrAdd(name: "X-Next-Cursor", value: next.token)
            response.headers.replaceOrAdd(name: .link, value: "</api/v1/exercises?limit=\(limit)&cursor=\(next.token)>; rel=\"next\"")
        }
        return response
    }

    func create(req: Request, authorized: Authorized) async throws -> Response {
        let user = try authorized.requireUser()
        let input = try req.content.decode(ExerciseInput.self).validated()
        let exercise = try await ExerciseOperations.create(input, by: AuditActor(user), on: req.useCases)
        return try await created(ExerciseDTO(exercise), at: "/api/v1/exercises/\(exercise.id!)", on: req)
    }

    func show(req: Request, authorized: Authorized) async throws -> ExerciseDTO {
        ExerciseDTO(authorized.requireExercise().exercise)
    }

    func members(req: Request, authorized: Authorized) async throws -> [MemberDTO] {
        try await ExerciseOperations.members(of: authorized.requireExercise().exerciseID, on: req.useCases).map(MemberDTO.init)
    }

    /// The body is read before the member is looked up: a malformed one says so whoever it names.
    func updateIdentifiers(req: Request, authorized: Authorized) async throws -> MemberDTO {
        let context = authorized.requireExercise()
        let input = try req.content.decode(MemberIdentifiersInput.self).validated()
        guard let memberID = req.parameters.get("memberID", as: UUID.self) else { throw CocreaError.notFound(.member) }
        return MemberDTO(try await ExerciseOperations.updateIdentifiers(input, of: memberID, in: context, on: req.useCases))
    }

    func invite(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(MemberInput.self).validated()
        let member = try await ExerciseOperations.invite(input, to: context, on: req.useCases)
        return try await created(MemberDTO(member), at: "/api/v1/exercises/\(context.exerciseID)/members", on: req)
    }

    func items(req: Request, authorized: Authorized) async throws -> [DossierItemDTO] {
        try await ExerciseOperations.dossierItems(of: authorized.requireExercise().exerciseID, on: req.useCases).map {
            DossierItemDTO($0.item, file: $0.item.file, late: $0.late)
        }
    }

    /// JSON, or multipart with the upload in the field `file`.
    func addItem(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input: DossierItemInput
        var upload: ExerciseOperations.Upload?
        if req.headers.contentType?.type == "multipart" {
            let form = try req.content.decode(DossierItemForm.self)
            input = form.input
            upload = form.upload
        } else {
            input = try req.content.decode(DossierItemInput.self)
        }
        let (item, file) = try await ExerciseOperations.addDossierItem(input.validated(hasFile: upload != nil), upload: upload, to: context, on: req.useCases)
        return try await created(
            DossierItemDTO(item, file: file, late: false),
            at: "/api/v1/exercises/\(context.exerciseID)/dossier/items", on: req)
    }

    func nationalCommitments(req: Request, _: Authorized) async throws -> [NationalCommitmentDTO] {
        try await CommitmentOperations.nationalCommitments(plan: try? req.query.get(String.self, at: "plan"), on: req.useCases)
            .map(NationalCommitmentDTO.init)
    }

    struct CatalogueLoaded: Content {
        var plan: String
        var entries: Int
        var changed: Int
    }

    /// Loads or replaces a national plan's catalogue from CSV (`id,axis,title,source`) or JSON.
    func replaceCatalogue(req: Request, authorized: Authorized) async throws -> CatalogueLoaded {
        var v = CocreaCore.Validator()
        let plan = v.required(try? req.query.get(String.self, at: "plan"), field: "plan", label: "fieldPlanQuery", maxLength: 40)
        try v.check()
        let bytes = req.body.data.map { Array($0.readableBytesView) } ?? []
        let entries: [NationalCatalogueEntry]
        switch req.headers.contentType?.subType {
        case "json": entries = try NationalCatalogue.parse(json: bytes)
        case "csv": entries = try NationalCatalogue.parse(csv: String(decoding: bytes, as: UTF8.self))
        default:
            throw CocreaError.nationalCatalogueMediaType
        }
        let changed = try await CatalogueLoader.load(plan: plan, entries: entries, actor: AuditActor(try authorized.requireUser()), on: req.application)
        return CatalogueLoaded(plan: plan, entries: entries.count, changed: changed)
    }

    func deliveries(req: Request, _: Authorized) async throws -> [DeliveryDTO] {
        try await OutboxOperations.recent(on: req.useCases).map(DeliveryDTO.init)
    }

    private func created(_ body: some Content, at location: String, on req: Request) async throws -> Response {
        let response = try await body.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: location)
        return response
    }
}
