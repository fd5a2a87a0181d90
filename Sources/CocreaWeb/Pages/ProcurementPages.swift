import CocreaCore
import CocreaProcurement
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// OCDS packages on the plan page: the procurement commitment's form to upload one (or, for an
/// instance administrator, to have Cocrea fetch it), and the packages with the key fields their
/// processes leave out.
struct ProcurementPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "commitments", ":commitmentID", "procurement-packages",
            policy: .exercise(.facilitate), body: .collect(maxSize: "21mb"), use: attach)
        pages.secured(
            .POST, "exercises", ":exerciseID", "plan", "procurement-packages", ":packageID", "delete",
            policy: .exercise(.facilitate), use: delete)
    }

    struct PackageRow: Encodable, Sendable {
        var id: UUID
        var name, publisher, publishedDate, source, sha256, addedBy, addedAt: String
        var releaseCount, processCount: Int
        /// "ocid: what it leaves out", one line per flag.
        var flags: [String]
    }

    /// What the plan page shows under a procurement commitment.
    struct CommitmentPackages: Encodable, Sendable {
        var canAttach: Bool
        var canFetch: Bool
        var packages: [PackageRow]
    }

    struct Form: Content {
        var file: File?
        var url: String?
    }

    /// The packages of each procurement commitment among `commitments`, keyed by commitment, from the
    /// packages read with the plan (`PlanOverview.packages`).
    static func views(
        of commitments: [CommitmentDTO], packages: [UUID: [ProcurementPackage]], in context: ExerciseContext, words: Words
    ) throws -> [UUID: CommitmentPackages] {
        let ids = commitments.filter { $0.category == .procurement }.compactMap(\.id)
        let zone = context.exercise.zone
        var views: [UUID: CommitmentPackages] = [:]
        for id in ids {
            views[id] = CommitmentPackages(
                canAttach: context.access.allows(.facilitate), canFetch: context.access.isInstanceAdministrator,
                packages: try (packages[id] ?? []).map { package in
                    let processes = try ContractingProcess.decode(package.processes)
                    return PackageRow(
                        id: try package.requireID(), name: package.name, publisher: package.publisher,
                        publishedDate: MexicanFormat.numeric(package.publishedDate, in: zone),
                        source: package.sourceURL ?? words["procurementUploaded"], sha256: package.sha256, addedBy: package.addedBy,
                        addedAt: MexicanFormat.numeric(package.addedAt, in: zone), releaseCount: package.releaseCount,
                        processCount: processes.count,
                        flags: processes.flatMap { process in process.flags.map { "\(process.ocid): \($0.message(words))" } })
                })
        }
        return views
    }

    /// A contracting process as a row of the public table: amounts in pesos, dates dd/mm/aaaa.
    struct PublicProcess: Encodable, Sendable {
        var ocid, buyer, tender, tenderAmount, tenderPeriod: String
        var awards: [String]
        var suppliers: String
        var contracts: [String]
        var flags: [String]
    }

    struct PublicPackage: Encodable, Sendable {
        var name, url, details: String
    }

    struct PublicSection: Encodable, Sendable {
        var title: String
        var packages: [PublicPackage]
        var processes: [PublicProcess]
    }

    /// The public page's "Contrataciones abiertas (OCDS)": one section per procurement commitment.
    static func publicSections(of procurement: PublicProcurementDTO, in zone: TimeZone, words: Words) -> [PublicSection] {
        let missing = words["procurementNoData"]
        func day(_ date: Date?) -> String? { date.flatMap { LocalDate(date: $0, in: zone) }.map(MexicanFormat.numeric) }
        func amount(_ value: MoneyDTO?) -> String? { value.flatMap { MexicanFormat.money(Money(amount: $0.amount, currency: $0.currency)) } }
        return procurement.commitments.map { commitment in
            PublicSection(
                title: commitment.title,
                packages: commitment.packages.map {
                    PublicPackage(
                        name: $0.name, url: $0.downloadUrl,
                        details: words.count(
                            "procurementPackageDetails", $0.releaseCount,
                            ["publisher": $0.publisher, "date": day($0.publishedDate) ?? missing, "sha": $0.sha256]))
                },
                processes: commitment.processes.map { process in
                    let tender = process.tender
                    let period = [day(tender?.startDate), day(tender?.endDate)]
                    return PublicProcess(
                        ocid: process.ocid, buyer: process.buyer ?? missing,
                        tender: [tender?.title, tender?.status.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ").nonEmpty ?? missing,
                        tenderAmount: amount(tender?.value) ?? missing,
                        tenderPeriod: period.contains { $0 != nil } ? period.map { $0 ?? missing }.joined(separator: " – ") : missing,
                        awards: process.awards.map {
                            words[
                                "procurementAward",
                                [
                                    "id": $0.id ?? words["procurementNoId"], "amount": amount($0.value) ?? words["procurementNoAmount"],
                                    "date": day($0.date) ?? words["noDate"],
                                ]]
                        },
                        suppliers: Array(Set(process.awards.flatMap(\.suppliers))).sorted().joined(separator: "; ").nonEmpty ?? missing,
                        contracts: process.contracts.map {
                            words[
                                "procurementContract",
                                [
                                    "id": $0.id ?? words["procurementNoId"], "amount": amount($0.value) ?? words["procurementNoAmount"],
                                    "date": day($0.dateSigned) ?? words["procurementNoDateParenthesised"],
                                ]]
                        },
                        flags: process.flags.map { $0.message(words) })
                })
        }
    }

    func attach(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let commitmentID = req.parameters.get("commitmentID", as: UUID.self)
        let fileField = "ocds-file-\(commitmentID?.uuidString ?? "")"
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let url = form.url?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            let package: ProcurementPackage
            if !url.isEmpty {
                package = try await ProcurementOperations.fetch(PackageURLInput(url: url), to: commitmentID, in: context, on: req.useCases)
            } else if let file = form.file, file.data.readableBytes > 0 {
                package = try await ProcurementOperations.attach(
                    Data(file.data.readableBytesView), name: file.filename, sourceURL: nil,
                    to: commitmentID, in: context, on: req.useCases)
            } else {
                return try await PlanPages().render(
                    context, errors: [FieldError(field: fileField, message: req.words["procurementChooseFile"])],
                    status: .unprocessableEntity, on: req)
            }
            return try await PlanPages().render(
                context, notice: req.words.count("procurementAdded", package.releaseCount, ["name": package.name, "publisher": package.publisher]),
                on: req)
        } catch let error as CocreaError where error.status < 500 && error.status != 404 {
            // Each problem of the package keeps its JSON path, and every error links to the form's file field.
            let field = error.fieldErrors.contains { $0.field == "url" } ? "ocds-url-\(commitmentID?.uuidString ?? "")" : fileField
            let problems = error.fieldErrors.filter { $0.field != "url" }.map { FieldError(field: field, message: "\($0.field): \($0.message(req.words))") }
            return try await PlanPages().render(
                context, errors: [FieldError(field: field, message: error.message(req.words))] + problems,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func delete(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        try await ProcurementOperations.delete(req.parameters.get("packageID", as: UUID.self), in: context, on: req.useCases)
        return try await PlanPages().render(context, notice: req.words["procurementRemoved"], on: req)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
