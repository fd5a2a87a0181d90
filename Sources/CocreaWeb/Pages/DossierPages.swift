import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The dossier's distribution and receipts (rule D10) and the tables' schedule, as pages; and the
/// page a member lands on from their personal receipt link.
struct DossierPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "exercises", ":exerciseID", "status", policy: .exercise(.viewWorkspace), use: status)
        pages.secured(.POST, "exercises", ":exerciseID", "dossier", "distributions", policy: .exercise(.distributeDossier), use: distribute)
        pages.secured(.POST, "exercises", ":exerciseID", "dossier", "reminders", policy: .exercise(.distributeDossier), use: remind)
        pages.secured(.GET, "exercises", ":exerciseID", "roundtables", policy: .exercise(.viewWorkspace), use: roundtables)
        pages.secured(.POST, "exercises", ":exerciseID", "roundtables", policy: .exercise(.facilitate), use: schedule)
        pages.secured(.POST, "exercises", ":exerciseID", "roundtables", ":roundtableID", "reschedule", policy: .exercise(.facilitate), use: reschedule)
        pages.secured(.POST, "exercises", ":exerciseID", "roundtables", ":roundtableID", "cancel", policy: .exercise(.facilitate), use: cancel)
        pages.secured(.GET, "receipts", ":token", policy: .open, use: receipt)
        pages.secured(.GET, "receipts", ":token", "files", ":fileID", policy: .open, use: receiptFile)
        pages.secured(.GET, "receipts", ":token", "expediente.pdf", policy: .open) { req, _ in
            try await DossierDownloads.pdf(
                of: try await DossierDownloads.exercise(forReceipt: req.parameters.get("token") ?? "", on: req.useCases),
                language: req.language, on: req.useCases)
        }
        pages.secured(.GET, "receipts", ":token", "expediente.zip", policy: .open) { req, _ in
            try await DossierDownloads.zip(
                of: try await DossierDownloads.exercise(forReceipt: req.parameters.get("token") ?? "", on: req.useCases),
                language: req.language, on: req.useCases)
        }
        pages.secured(.GET, "exercises", ":exerciseID", "expediente.pdf", policy: .exercise(.viewWorkspace)) { req, authorized in
            try await DossierDownloads.pdf(of: authorized.requireExercise().exercise, language: req.language, on: req.useCases)
        }
        pages.secured(.GET, "exercises", ":exerciseID", "expediente.zip", policy: .exercise(.viewWorkspace)) { req, authorized in
            try await DossierDownloads.zip(of: authorized.requireExercise().exercise, language: req.language, on: req.useCases)
        }
    }

    // MARK: Status (acuses)

    struct MemberRow: Encodable, Sendable {
        var name: String
        var organization: String
        var receivedVersion: String
        var receivedAt: String
        var current: Bool
    }

    struct StatusBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var currentVersion: Int?
        var earliestValidDate: String?
        var holdingBack: [String]
        var members: [MemberRow]
        var canDistribute: Bool
        var notice: String?
    }

    func status(req: Request, authorized: Authorized) async throws -> Response {
        try await renderStatus(authorized.requireExercise(), notice: nil, on: req)
    }

    func distribute(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let sent = try await DossierOperations.distribute(context, on: req.useCases)
            return try await renderStatus(context, notice: req.words.count("dossierSent", sent.recipients.count, ["version": "\(sent.version)"]), on: req)
        } catch let error as CocreaError where error.status < 500 {
            return try await renderStatus(
                context, errors: [FieldError(field: "enviar", message: error.message(req.words))],
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func remind(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        do {
            let reminded = try await DossierOperations.remind(context, on: req.useCases)
            let notice = reminded.isEmpty ? req.words["dossierNobodyToRemind"] : req.words.count("dossierReminded", reminded.count)
            return try await renderStatus(context, notice: notice, on: req)
        } catch let error as CocreaError where error.status < 500 {
            return try await renderStatus(
                context, errors: [FieldError(field: "recordar", message: error.message(req.words))],
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    private func renderStatus(
        _ context: ExerciseContext, notice: String? = nil, errors: [FieldError] = [],
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let exercise = context.exercise
        let (readiness, members) = try await DossierOperations.readiness(of: exercise, on: req.useCases)
        let organizations = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.organization) })
        let body = StatusBody(
            exercise: .init(context), currentVersion: readiness.currentVersion,
            earliestValidDate: readiness.earliestValidDate.map(req.words.date),
            holdingBack: readiness.holdingBack.map(\.name),
            members: readiness.members.map { state in
                MemberRow(
                    name: state.receipt.name, organization: organizations[state.receipt.memberID] ?? "",
                    receivedVersion: state.receipt.receivedVersion.map { "\($0)" } ?? "—",
                    receivedAt: state.receipt.receivedAt.map { req.words.dateTime($0, in: exercise.zone) } ?? "—",
                    current: state.current)
            },
            canDistribute: context.access.allows(.distributeDossier), notice: notice)
        return try await Page.render(Templates.status, title: exercise.name, body, errors: errors, status: status, on: req)
    }

    // MARK: Roundtables (mesas)

    struct TableRow: Encodable, Sendable {
        var id: UUID
        var when: String
        var localValue: String
        var place: String
        var state: String
        var open: Bool
    }

    struct TablesBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var tables: [TableRow]
        var earliestValidDate: String?
        var earliestValue: String?
        var canFacilitate: Bool
        var values: RoundtableInput
    }

    func roundtables(req: Request, authorized: Authorized) async throws -> Response {
        try await renderTables(authorized.requireExercise(), on: req)
    }

    func schedule(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(RoundtableInput.self)
        do {
            _ = try await RoundtableOperations.schedule(input, in: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/roundtables")
        } catch let error as CocreaError where error.status < 500 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "startsAt", message: error.message(req.words))] : error.fieldErrors
            return try await renderTables(context, values: input, errors: errors, status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func reschedule(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let input = try req.content.decode(RoundtableInput.self)
        do {
            _ = try await RoundtableOperations.reschedule(
                input, table: try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases),
                in: context, on: req.useCases)
            return Page.redirect("/exercises/\(context.exerciseID)/roundtables")
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "startsAt", message: error.message(req.words))] : error.fieldErrors
            return try await renderTables(context, errors: errors, status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func cancel(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        _ = try await RoundtableOperations.cancel(
            try await RoundtableOperations.find(req.parameters.get("roundtableID", as: UUID.self), in: context, on: req.useCases), in: context, on: req.useCases
        )
        return Page.redirect("/exercises/\(context.exerciseID)/roundtables")
    }

    private func renderTables(
        _ context: ExerciseContext, values: RoundtableInput = RoundtableInput(), errors: [FieldError] = [],
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let exercise = context.exercise
        let (readiness, _) = try await DossierOperations.readiness(of: exercise, on: req.useCases)
        let tables = try await RoundtableOperations.list(in: context, on: req.useCases)
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = exercise.zone
        local.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let body = TablesBody(
            exercise: .init(context),
            tables: tables.map { table in
                TableRow(
                    id: table.id!, when: req.words.dateTime(table.startsAt, in: exercise.zone),
                    localValue: local.string(from: table.startsAt), place: table.place,
                    state: req.words[table.cancelledAt != nil ? "tableCancelled" : table.stage == .scheduled ? "tableScheduled" : "tableUnderwayOrClosed"],
                    open: table.cancelledAt == nil && table.stage == .scheduled)
            },
            earliestValidDate: readiness.earliestValidDate.map(req.words.date),
            earliestValue: readiness.earliestValidDate.map { "\($0)T10:00" },
            canFacilitate: context.access.allows(.facilitate), values: values)
        return try await Page.render(Templates.roundtables, title: exercise.name, body, errors: errors, status: status, on: req)
    }

    // MARK: The member's receipt link

    struct ReceiptItem: Encodable, Sendable {
        var kind: String
        var title: String
        var body: String
        var source: String
        var contributedBy: String
        var fileID: UUID?
        var fileName: String?
    }

    struct ReceiptBody: Encodable, Sendable {
        var token: String
        var memberName: String
        var exerciseName: String
        var version: Int
        var receivedAt: String
        var outdated: Bool
        var items: [ReceiptItem]
    }

    func receipt(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let dossier = try await DossierOperations.receivedDossier(token: token, on: req.useCases)
        let exercise = dossier.exercise
        let body = ReceiptBody(
            token: token, memberName: dossier.member.name, exerciseName: exercise.name, version: dossier.distribution.version,
            receivedAt: dossier.receipt.receivedAt.map { req.words.dateTime($0, in: exercise.zone) } ?? "",
            outdated: dossier.outdated,
            items: dossier.items.map { item in
                ReceiptItem(
                    kind: item.kind.label(req.language), title: item.title, body: item.body, source: item.source,
                    contributedBy: item.contributedBy, fileID: item.$file.id, fileName: item.$file.id.flatMap { dossier.fileNames[$0] })
            })
        return try await Page.render(Templates.receipt, title: exercise.name, body, on: req)
    }

    func receiptFile(req: Request, _: Authorized) async throws -> Response {
        let file = try await DossierOperations.receiptFile(
            token: req.parameters.get("token") ?? "", fileID: req.parameters.get("fileID", as: UUID.self), on: req.useCases)
        return FileDownload.response(for: file)
    }
}

enum FileDownload {
    /// Sends a stored file as a download.
    static func response(for file: StoredFile) -> Response {
        response(file.data, mediaType: file.mediaType, name: file.name)
    }

    /// Sends bytes as a download, with their name safely encoded (RFC 6266): never shown inside Cocrea.
    static func response(_ data: Data, mediaType: String, name: String) -> Response {
        response(ByteBuffer(data: data), mediaType: mediaType, name: name)
    }

    /// A download written straight into its buffer (survey responses), not copied from a `Data`.
    static func response(_ body: ByteBuffer, mediaType: String, name: String) -> Response {
        let response = Response(status: .ok, body: .init(buffer: body))
        response.headers.replaceOrAdd(name: .contentType, value: mediaType)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "archivo"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        return response
    }
}
