import AsyncHTTPClient
import CocreaCore
import CocreaProcurement
import CocreaStore
import FluentKit
import Foundation
import NIOCore

package struct MoneyDTO: Codable, Sendable {
    package var amount: Decimal?
    package var currency: String?

    package init?(_ money: Money?) {
        guard let money else { return nil }
        amount = money.amount
        currency = money.currency
    }
}

package struct TenderDTO: Codable, Sendable {
    package var id: String?
    package var title: String?
    package var status: String?
    package var value: MoneyDTO?
    package var startDate: Date?
    package var endDate: Date?

    package init(id: String? = nil, title: String? = nil, status: String? = nil, value: MoneyDTO? = nil, startDate: Date? = nil, endDate: Date? = nil) {
        self.id = id
        self.title = title
        self.status = status
        self.value = value
        self.startDate = startDate
        self.endDate = endDate
    }
}

package struct AwardDTO: Codable, Sendable {
    package var id: String?
    package var title: String?
    package var status: String?
    package var date: Date?
    package var value: MoneyDTO?
    /// The suppliers' names (their id when the package gives no name).
    package var suppliers: [String]

    package init(id: String? = nil, title: String? = nil, status: String? = nil, date: Date? = nil, value: MoneyDTO? = nil, suppliers: [String]) {
        self.id = id
        self.title = title
        self.status = status
        self.date = date
        self.value = value
        self.suppliers = suppliers
    }
}

package struct ContractDTO: Codable, Sendable {
    package var id: String?
    package var awardId: String?
    package var status: String?
    package var dateSigned: Date?
    package var value: MoneyDTO?

    package init(id: String? = nil, awardId: String? = nil, status: String? = nil, dateSigned: Date? = nil, value: MoneyDTO? = nil) {
        self.id = id
        self.awardId = awardId
        self.status = status
        self.dateSigned = dateSigned
        self.value = value
    }
}

package struct ContractingProcessDTO: Codable, Sendable {
    package var ocid: String
    package var releaseCount: Int
    package var updatedAt: Date
    package var buyer: String?
    package var tender: TenderDTO?
    package var awards: [AwardDTO]
    package var contracts: [ContractDTO]
    package var flags: [ProcessFlag]

    package init(_ process: ContractingProcess) {
        ocid = process.ocid
        releaseCount = process.releaseCount
        updatedAt = process.updatedAt
        buyer = process.buyer
        tender = process.tender.map {
            TenderDTO(id: $0.id, title: $0.title, status: $0.status, value: MoneyDTO($0.value), startDate: $0.startDate, endDate: $0.endDate)
        }
        awards = process.awards.map {
            AwardDTO(
                id: $0.id, title: $0.title, status: $0.status, date: $0.date, value: MoneyDTO($0.value),
                suppliers: $0.suppliers.compactMap { $0.name ?? $0.id })
        }
        contracts = process.contracts.map {
            ContractDTO(id: $0.id, awardId: $0.awardID, status: $0.status, dateSigned: $0.dateSigned, value: MoneyDTO($0.value))
        }
        flags = process.flags
    }
}

/// A package as its commitment lists it, with the processes it holds and their flags.
package struct ProcurementPackageDTO: Codable, Sendable {
    package var id: UUID
    package var commitmentId: UUID
    package var name: String
    package var size: Int
    package var sha256: String
    package var sourceUrl: String?
    package var uri: String
    package var publisher: String
    package var publishedDate: Date
    package var releaseCount: Int
    package var addedBy: String
    package var addedAt: Date
    package var processes: [ContractingProcessDTO]

    package init(_ package: ProcurementPackage) throws {
        id = try package.requireID()
        commitmentId = package.$commitment.id
        name = package.name
        size = package.size
        sha256 = package.sha256
        sourceUrl = package.sourceURL
        uri = package.uri
        publisher = package.publisher
        publishedDate = package.publishedDate
        releaseCount = package.releaseCount
        addedBy = package.addedBy
        addedAt = package.addedAt
        processes = try ContractingProcess.decode(package.processes).map(ContractingProcessDTO.init)
    }
}

/// What the audit trail keeps of a package: who published it and its fingerprint, not its bytes.
package struct ProcurementPackageAudit: Encodable, Sendable {
    package var commitmentId: UUID
    package var name: String
    package var sha256: String
    package var sourceUrl: String?
    package var publisher: String
    package var releaseCount: Int

    package init(_ package: ProcurementPackage) {
        commitmentId = package.$commitment.id
        name = package.name
        sha256 = package.sha256
        sourceUrl = package.sourceURL
        publisher = package.publisher
        releaseCount = package.releaseCount
    }
}

package struct PublicPackageDTO: Codable, Sendable {
    package var id: UUID
    /// The package as received, for anyone to check against its SHA-256.
    package var downloadUrl: String
    package var name: String
    package var publisher: String
    package var uri: String
    package var publishedDate: Date
    package var sha256: String
    package var sourceUrl: String?
    package var releaseCount: Int

    package init(
        id: UUID, downloadUrl: String, name: String, publisher: String, uri: String, publishedDate: Date, sha256: String, sourceUrl: String? = nil,
        releaseCount: Int
    ) {
        self.id = id
        self.downloadUrl = downloadUrl
        self.name = name
        self.publisher = publisher
        self.uri = uri
        self.publishedDate = publishedDate
        self.sha256 = sha256
        self.sourceUrl = sourceUrl
        self.releaseCount = releaseCount
    }
}

package struct PublicProcurementCommitmentDTO: Codable, Sendable {
    package var id: UUID
    package var title: String
    package var packages: [PublicPackageDTO]
    /// Compiled across all of the commitment's packages: a process published in several packages
    /// (its tender in one, its award in a later one) is one process.
    package var processes: [ContractingProcessDTO]

    package init(id: UUID, title: String, packages: [PublicPackageDTO], processes: [ContractingProcessDTO]) {
        self.id = id
        self.title = title
        self.packages = packages
        self.processes = processes
    }
}

package struct PublicProcurementDTO: Codable, Sendable {
    package var exerciseId: UUID
    package var name: String
    package var territory: String
    package var commitments: [PublicProcurementCommitmentDTO]

    package init(exerciseId: UUID, name: String, territory: String, commitments: [PublicProcurementCommitmentDTO]) {
        self.exerciseId = exerciseId
        self.name = name
        self.territory = territory
        self.commitments = commitments
    }
}

package struct PackageURLInput: Codable, Sendable {
    package var url: String?

    package init(url: String? = nil) {
        self.url = url
    }
}

/// Contrataciones abiertas: OCDS release packages attached to the plan's procurement commitment
/// (rule Q1), read and compiled by `CocreaProcurement`, and published with the follow-up.
package enum ProcurementOperations {
    /// A fetch gives up after this long, the whole download included, so a slow server cannot hold a
    /// request open.
    package static let fetchSeconds: Int64 = 30

    /// Attaches an uploaded (or fetched) package. The package must be valid and new to the commitment;
    /// otherwise nothing is stored.
    package static func attach(
        _ data: Data, name: String, sourceURL: String?, to commitmentID: UUID?, in context: ExerciseContext,
        on ctx: UseCaseContext
    ) async throws -> ProcurementPackage {
        let commitment = try await procurementCommitment(commitmentID, in: context, on: ctx.db)
        let cleanName = UploadPolicy.sanitize(name).isEmpty ? "paquete-ocds.json" : UploadPolicy.sanitize(name)
        // Decoding and checking up to 20 MB of JSON is CPU work: off the event loop.
        let (read, processes) = try await ctx.threadPool.runIfActive {
            let read = try ReleasePackage.read(data, name: cleanName)
            return (read, ContractingProcess.encode(ContractingProcess.compile(read.releases)))
        }
        let package = ProcurementPackage()
        package.$commitment.id = try commitment.requireID()
        package.name = cleanName
        package.size = data.count
        package.sha256 = Hashing.sha256Hex(data)
        package.data = data
        package.sourceURL = sourceURL
        package.uri = read.uri
        package.publisher = read.publisherName
        package.publishedDate = read.publishedDate
        package.releaseCount = read.releases.count
        package.releases = Release.encode(read.releases)
        package.processes = processes
        package.$addedByUser.id = context.user.id
        package.addedBy = context.byline
        package.addedAt = ctx.now
        do {
            try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
                if let existing = try await ProcurementPackage.query(on: tx).filter(\.$commitment.$id == package.$commitment.id)
                    .filter(\.$sha256 == package.sha256).field(\.$id).field(\.$name).first()
                {
                    throw alreadyAttached(package.sha256, as: existing)
                }
                try await package.create(on: tx)
                try await recompile(package.$commitment.id, on: tx, ctx: ctx)
                try await audit.created("procurementPackage", id: package.id, exercise: context.exerciseID, ProcurementPackageAudit(package))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same package sent twice at once on PostgreSQL: both checks passed, the unique index kept one.
            throw alreadyAttached(package.sha256, as: nil)
        }
        return package
    }

    /// Compiles the commitment's processes again across the packages it holds now, in the
    /// transaction that changed them, so reads never compile.
    private static func recompile(_ commitmentID: UUID, on tx: Database, ctx: UseCaseContext) async throws {
        let stored = try await ProcurementCompilation.storedReleases(of: commitmentID, on: tx)
        let processes = try await ctx.threadPool.runIfActive { try ProcurementCompilation.compile(stored) }
        try await ProcurementCompilation.record(processes, for: commitmentID, at: ctx.now, on: tx)
    }

    private static func alreadyAttached(_ sha256: String, as existing: ProcurementPackage?) -> CocreaError {
        CocreaError.procurementPackageExists(sha256: sha256, existingName: existing?.name, existingID: existing?.id)
    }

    /// Fetches a package from a URL and attaches it. Only an instance administrator may: the request
    /// leaves from Cocrea's server, which may reach addresses its users cannot.
    package static func fetch(
        _ input: PackageURLInput, to commitmentID: UUID?, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> ProcurementPackage {
        guard context.access.isInstanceAdministrator else {
            throw CocreaError.urlFetchForbidden
        }
        let text = (input.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw CocreaError.validation([
                text.isEmpty ? FieldError(field: "url", "problemOCDSURLMissing") : FieldError(field: "url", "problemOCDSURLInvalid", ["value": .text(text)])
            ])
        }
        // The address is kept and published with the package: no secrets in it.
        guard url.user == nil, url.password == nil else {
            throw CocreaError.validation([
                FieldError(field: "url", "problemURLCredentials")
            ])
        }
        _ = try await procurementCommitment(commitmentID, in: context, on: ctx.db)
        let data = try await download(url, on: ctx)
        let name = url.lastPathComponent.isEmpty || url.lastPathComponent == "/" ? "\(host).json" : url.lastPathComponent
        return try await attach(data, name: name, sourceURL: text, to: commitmentID, in: context, on: ctx)
    }

    /// The body at `url`, refused past the package size limit while it arrives, and given up after
    /// `fetchSeconds` for the whole download.
    private static func download(_ url: URL, on ctx: UseCaseContext) async throws -> Data {
        let failed = { @Sendable (reason: String, values: [String: ErrorText.Value]) in
            CocreaError.ocdsFetchFailed(url.absoluteString, reason: reason, values)
        }
        let client = ctx.fetchClient
        let logger = ctx.logger
        let timedOut = failed("ocdsFetchTimedOut", ["seconds": .number(Int(fetchSeconds))])
        return try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask {
                var request = HTTPClientRequest(url: url.absoluteString)
                request.headers.add(name: "Accept", value: "application/json")
                request.headers.add(name: "User-Agent", value: "Cocrea (contrataciones abiertas)")
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: .seconds(fetchSeconds))
                } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                    throw timedOut
                } catch {
                    logger.info("procurement.fetch_failed", metadata: ["url": "\(url.absoluteString)", "error": "\(error)"])
                    throw failed("ocdsFetchUnreachable", [:])
                }
                guard response.status == .ok else {
                    let moved = (300..<400).contains(response.status.code)
                    throw failed(moved ? "ocdsFetchRedirected" : "ocdsFetchStatus", ["status": .number(Int(response.status.code))])
                }
                do {
                    let body = try await response.body.collect(upTo: ReleasePackage.maximumBytes)
                    return Data(body.readableBytesView)
                } catch is NIOTooManyBytesError {
                    throw CocreaError.ocdsFetchedTooLarge(url.absoluteString, maximumBytes: ReleasePackage.maximumBytes)
                } catch is CancellationError {
                    throw timedOut
                } catch {
                    logger.info("procurement.fetch_failed", metadata: ["url": "\(url.absoluteString)", "error": "\(error)"])
                    throw failed("ocdsFetchInterrupted", [:])
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(fetchSeconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let data = first else { throw timedOut }
            return data
        }
    }

    /// A package's bytes as received, for anyone once the exercise's plan is public.
    package static func publicPackage(_ packageID: UUID, of exerciseID: UUID, on ctx: UseCaseContext) async throws -> ProcurementPackage {
        let db = ctx.db
        guard let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db),
            let package = try await ProcurementPackage.query(on: db).filter(\.$id == packageID).first(),
            try sealedProcurementCommitments(of: version).contains(where: { $0.id == package.$commitment.id })
        else {
            throw CocreaError.notFound(.procurementPackage)
        }
        return package
    }

    /// The procurement commitments as they were sealed: one added or retitled since reaches the public
    /// only through a new sealed version. Their packages are what was attached to them, then or later.
    private static func sealedProcurementCommitments(of version: PlanVersion) throws -> [CommitmentDTO] {
        try PlanVersionOperations.content(of: version).commitments.filter { $0.category == .procurement }
    }

    /// An address as the public sees it: without its query or fragment, where tokens tend to travel.
    package static func publicAddress(_ address: String) -> String {
        guard var components = URLComponents(string: address) else { return address }
        components.query = nil
        components.fragment = nil
        return components.string ?? address
    }

    package static func list(_ commitmentID: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> [ProcurementPackageDTO] {
        let commitment = try await commitment(commitmentID, in: context, on: ctx.db)
        return try await summaries(of: [commitment.requireID()], on: ctx.db).map(ProcurementPackageDTO.init)
    }

    package static func delete(_ packageID: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws {
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let packageID, let package = try await ProcurementPackage.query(on: tx).filter(\.$id == packageID).with(\.$commitment).first(),
                package.commitment.$exercise.id == context.exerciseID
            else {
                throw CocreaError.notFound(.procurementPackage)
            }
            let before = ProcurementPackageAudit(package)
            try await package.delete(on: tx)
            try await recompile(package.$commitment.id, on: tx, ctx: ctx)
            try await audit.deleted("procurementPackage", id: packageID, exercise: context.exerciseID, before)
        }
    }

    /// The contracting processes of an exercise's procurement commitments, public once its plan is sealed.
    package static func publicProcurement(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> PublicProcurementDTO {
        try await publicProcurement(of: exerciseID, on: ctx.db)
    }

    package static func publicProcurement(of exerciseID: UUID, on db: Database) async throws -> PublicProcurementDTO {
        guard let exercise = try await Exercise.find(exerciseID, on: db),
            let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db)
        else {
            throw CocreaError.notPublic
        }
        return try await publicProcurement(of: exercise, agreed: try PlanVersionOperations.content(of: version).commitments, on: db)
    }

    /// The contracting processes of the exercise's latest sealed version, whose commitments as agreed
    /// the caller read.
    package static func publicProcurement(of exercise: Exercise, agreed: [CommitmentDTO], on db: Database) async throws -> PublicProcurementDTO {
        let exerciseID = try exercise.requireID()
        let commitments = agreed.filter { $0.category == .procurement }.sorted { $0.title < $1.title }
        // The commitment's compiled processes come with each of its packages, in the same query.
        let ids = commitments.compactMap(\.id)
        let rows =
            ids.isEmpty
            ? []
            : try await summaryQuery(of: ids, on: db)
                .join(ProcurementCompilation.self, on: \ProcurementPackage.$commitment.$id == \ProcurementCompilation.$commitment.$id)
                .field(ProcurementCompilation.self, \.$processes).all()
        let packages = Dictionary(grouping: rows, by: { $0.$commitment.id })
        return PublicProcurementDTO(
            exerciseId: exerciseID, name: exercise.name, territory: exercise.territory,
            commitments: try commitments.map { commitment in
                let attached = packages[commitment.id!] ?? []
                return PublicProcurementCommitmentDTO(
                    id: commitment.id!, title: commitment.title,
                    packages: attached.map {
                        PublicPackageDTO(
                            id: $0.id!,
                            downloadUrl: "/public/exercises/\(exerciseID.uuidString.lowercased())/procurement-packages/\($0.id!.uuidString.lowercased())",
                            name: $0.name, publisher: $0.publisher, uri: $0.uri, publishedDate: $0.publishedDate,
                            sha256: $0.sha256, sourceUrl: $0.sourceURL.map(publicAddress), releaseCount: $0.releaseCount)
                    },
                    processes: try attached.first.map { try ContractingProcess.decode($0.joined(ProcurementCompilation.self).processes) }?
                        .map(ContractingProcessDTO.init) ?? [])
            })
    }

    /// The packages of some commitments, oldest first, without their bytes (up to 20 MB each).
    package static func summaries(of commitmentIDs: [UUID], on db: Database) async throws -> [ProcurementPackage] {
        guard !commitmentIDs.isEmpty else { return [] }
        return try await summaryQuery(of: commitmentIDs, on: db).all()
    }

    private static func summaryQuery(of commitmentIDs: [UUID], on db: Database) -> QueryBuilder<ProcurementPackage> {
        ProcurementPackage.query(on: db).filter(\.$commitment.$id ~~ commitmentIDs)
            .field(\.$id).field(\.$commitment.$id).field(\.$name).field(\.$size).field(\.$sha256).field(\.$sourceURL)
            .field(\.$uri).field(\.$publisher).field(\.$publishedDate).field(\.$releaseCount).field(\.$processes)
            .field(\.$addedByUser.$id).field(\.$addedBy).field(\.$addedAt)
            .sort(\.$addedAt).sort(\.$id)
    }

    private static func commitment(_ id: UUID?, in context: ExerciseContext, on db: Database) async throws -> Commitment {
        guard let id,
            let commitment = try await Commitment.query(on: db).filter(\.$id == id)
                .filter(\.$exercise.$id == context.exerciseID).first()
        else {
            throw CocreaError.notFound(.commitment)
        }
        return commitment
    }

    /// Only the commitment on public procurement (rule Q1) takes OCDS packages.
    private static func procurementCommitment(_ id: UUID?, in context: ExerciseContext, on db: Database) async throws -> Commitment {
        let commitment = try await commitment(id, in: context, on: db)
        guard commitment.category == .procurement else {
            throw CocreaError.notProcurementCommitment(commitment.title)
        }
        return commitment
    }
}
