import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import SQLKit

/// What anyone sees of an exercise from its publication: who takes part (never an email), the
/// roadmap with its changes, the tables, the public documents, every frozen plan version with
/// conformity by sector, and the sealed PAL.
package enum PublicExerciseOperations {
    /// The exercise if the person asking may see its public face: anyone once it is public, only its
    /// members and the instance's administrators while it is a draft. Others learn nothing.
    package static func visibleExercise(_ exerciseID: UUID?, to user: User?, on ctx: UseCaseContext) async throws -> (exercise: Exercise, isPublic: Bool) {
        guard let exerciseID else { throw CocreaError.notFound(.exercise) }
        // A public exercise, the usual case, is found and told public by one query.
        if let exercise = try await PublicationOperations.publiclyVisible(Exercise.query(on: ctx.db).filter(\.$id == exerciseID)).first() {
            return (exercise, true)
        }
        guard let exercise = try await Exercise.find(exerciseID, on: ctx.db) else { throw CocreaError.notFound(.exercise) }
        guard let user else { throw CocreaError.notFound(.exercise) }
        if user.isAdministrator { return (exercise, false) }
        let member = try await Member.query(on: ctx.db).filter(\.$exercise.$id == exerciseID)
            .filter(\.$user.$id == user.requireID()).first()
        guard member != nil else { throw CocreaError.notFound(.exercise) }
        return (exercise, false)
    }

    package static func overview(of exercise: Exercise, on ctx: UseCaseContext) async throws -> PublicExerciseDTO {
        try await overview(of: exercise, baseURL: ctx.baseURL, on: ctx.db)
    }

    package static func overview(of exercise: Exercise, baseURL: String, language: Language = .es, on db: Database) async throws -> PublicExerciseDTO {
        try await read(exercise, baseURL: baseURL, language: language, origins: false, on: db).overview
    }

    /// The public page's reading: the overview, and the latest sealed version it read with that
    /// version's commitments as agreed and their origins as the public reads them, so that the page
    /// follows the version without reading or decoding it again.
    package struct Page: Sendable {
        package var overview: PublicExerciseDTO
        package var sealed: PlanVersion?
        package var commitments: [CommitmentDTO]
        package var origins: [UUID: CommitmentOriginDTO]
    }

    package static func page(of exercise: Exercise, language: Language, on ctx: UseCaseContext) async throws -> Page {
        try await read(exercise, baseURL: "", language: language, origins: true, on: ctx.db)
    }

    /// Each member comes with their standing statement on each version (a left join), and the public
    /// documents, with `origins`, with the items the sealed commitments link to and what was said of them.
    private static func read(_ exercise: Exercise, baseURL: String, language: Language, origins withOrigins: Bool, on db: Database) async throws -> Page {
        let exerciseID = try exercise.requireID()
        let standing = SQLQueryString(
            """
            NOT EXISTS (SELECT 1 FROM conformities later WHERE later.plan_version_id = conformities.plan_version_id \
            AND later.member_id = conformities.member_id \
            AND (later.stated_at > conformities.stated_at OR (later.stated_at = conformities.stated_at AND later.id > conformities.id)))
            """)
        let memberRows = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID)
            .join(
                Conformity.self,
                [.field(.path(["member_id"], schema: Conformity.schema), .equal, .path(["id"], schema: Member.schema)), .custom(standing)],
                method: .left
            )
            .sort(\.$name).sort(\.$id).all()
        var members: [Member] = []
        for row in memberRows where members.last?.id != row.id { members.append(row) }
        let statements = memberRows.compactMap { row in (try? row.joined(Conformity.self)).flatMap { $0.id == nil ? nil : $0 } }
        let sectorOf = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.sector) })
        let tables = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$startsAt).all()
        let closedIDs = tables.filter { $0.stage == .closed }.map { $0.id! }
        let attendance = closedIDs.isEmpty ? [] : try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ closedIDs).all()
        let versions = try await PlanVersion.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$number).all()
        let sealed = versions.last { $0.sealedAt != nil }
        let commitments = withOrigins ? try sealed.map { try PlanVersionOperations.content(of: $0).commitments } ?? [] : []
        let linked = Array(Set(commitments.compactMap(\.dossierItemId)))
        let (read, said) = try await CommitmentOrigins.itemsAndSaid(
            DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID)
                .group(.or) { either in
                    either.filter(\.$visibility == .public)
                    if !linked.isEmpty { either.filter(\.$id ~~ linked) }
                }
                .with(\.$file).sort(\.$createdAt).sort(\.$id),
            linked: linked)
        let items = read.filter { $0.visibility == .public }
        let exerciseURL = "\(baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())"

        func bySector(_ sectors: [Sector]) -> [SectorCount] {
            Sector.allCases.map { sector in
                SectorCount(sector: sector, label: exercise.label(for: sector, language: language), count: sectors.filter { $0 == sector }.count)
            }
        }
        let overview = PublicExerciseDTO(
            id: exerciseID, name: exercise.name, territory: exercise.territory, publishedAt: exercise.publishedAt,
            convener: .init(
                sector: .guarantor, label: exercise.label(for: .guarantor, language: language),
                organizations: Array(Set(members.filter { $0.sector == .guarantor }.map(\.organization))).sorted()),
            stl: members.map {
                PublicMemberDTO(
                    name: $0.name, sector: $0.sector, sectorLabel: exercise.label(for: $0.sector, language: language),
                    organization: $0.organization)
            },
            roadmap: try await PublicationOperations.roadmap(of: exerciseID, on: db),
            roundtables: tables.map { table in
                let present = attendance.filter { $0.$roundtable.id == table.id }
                return PublicRoundtableDTO(
                    id: table.id!, startsAt: table.startsAt, place: table.place, stage: table.stage, cancelled: table.cancelledAt != nil,
                    attendance: table.stage != .closed
                        ? nil
                        : Presence.allCases.map { presence in
                            PresenceBySector(
                                presence: presence,
                                sectors: bySector(present.filter { $0.presence == presence }.compactMap { sectorOf[$0.$member.id] }))
                        })
            },
            documents: items.map { item in
                PublicDocumentDTO(
                    id: item.id!, kind: item.kind, title: item.title, body: item.body, source: item.source, createdAt: item.createdAt,
                    file: item.file.map {
                        PublicFileDTO(
                            name: $0.name, mediaType: $0.mediaType, size: $0.size, sha256: $0.sha256,
                            url: "\(exerciseURL)/documents/\(item.id!.uuidString.lowercased())")
                    })
            },
            versions: versions.map { version in
                let standing = statements.filter { $0.$planVersion.id == version.id }
                return PublicVersionDTO(
                    id: version.id!, number: version.number, frozenAt: version.frozenAt, sha256: version.sha256,
                    sealedAt: version.sealedAt, sealedSha256: version.sealedSHA256,
                    conformity: Stance.allCases.map { stance in
                        StanceBySector(stance: stance, sectors: bySector(standing.filter { $0.stance == stance }.compactMap { sectorOf[$0.$member.id] }))
                    })
            },
            sealedPlan: sealed.map { version in
                SealedPlanDTO(
                    planVersionId: version.id!, number: version.number, sealedAt: version.sealedAt!, sha256: version.sealedSHA256 ?? "",
                    pdfUrl: "\(baseURL)/api/v1/plan-versions/\(version.id!.uuidString.lowercased())/sealed.pdf",
                    verifyUrl: "\(baseURL)/verify/\(version.id!.uuidString.lowercased())")
            })
        guard withOrigins, !commitments.isEmpty else { return Page(overview: overview, sealed: sealed, commitments: commitments, origins: [:]) }
        let proposals = try await Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$receivedAt).sort(\.$id).all()
        let nationalIDs = Array(Set(commitments.compactMap(\.nationalCommitmentId)))
        let national = nationalIDs.isEmpty ? [] : try await NationalCommitment.query(on: db).filter(\.$id ~~ nationalIDs).all()
        let linkedItems = Set(linked)
        let consultation = try await CommitmentOrigins.consultation(of: commitments, in: exerciseID, on: db)
        return Page(
            overview: overview, sealed: sealed, commitments: commitments,
            origins: CommitmentOrigins.origins(
                of: commitments, proposals: proposals,
                items: Dictionary(read.filter { linkedItems.contains($0.id!) }.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }), said: said,
                national: Dictionary(national.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }), consultation: consultation, for: .everyone))
    }

    /// A public document's file, for anyone once the exercise is public.
    package static func documentFile(_ itemID: UUID, of exercise: Exercise, on ctx: UseCaseContext) async throws -> StoredFile {
        guard
            let item = try await DossierItem.query(on: ctx.db).filter(\.$id == itemID).filter(\.$exercise.$id == exercise.requireID())
                .filter(\.$visibility == .public).with(\.$file).first(), let file = item.file
        else {
            throw CocreaError.notFound(.document)
        }
        return file
    }
}

package struct SectorCount: Codable, Sendable {
    package var sector: Sector
    package var label: String
    package var count: Int

    package init(sector: Sector, label: String, count: Int) {
        self.sector = sector
        self.label = label
        self.count = count
    }
}

package struct PresenceBySector: Codable, Sendable {
    package var presence: Presence
    package var sectors: [SectorCount]

    package init(presence: Presence, sectors: [SectorCount]) {
        self.presence = presence
        self.sectors = sectors
    }
}

package struct StanceBySector: Codable, Sendable {
    package var stance: Stance
    package var sectors: [SectorCount]

    package init(stance: Stance, sectors: [SectorCount]) {
        self.stance = stance
        self.sectors = sectors
    }
}

package struct PublicMemberDTO: Codable, Sendable {
    package var name: String
    package var sector: Sector
    package var sectorLabel: String
    package var organization: String

    package init(name: String, sector: Sector, sectorLabel: String, organization: String) {
        self.name = name
        self.sector = sector
        self.sectorLabel = sectorLabel
        self.organization = organization
    }
}

package struct PublicRoundtableDTO: Codable, Sendable {
    package var id: UUID
    package var startsAt: Date
    package var place: String
    package var stage: RoundtableStage
    package var cancelled: Bool
    /// Once the table is closed: how many of each sector were present, absent or represented.
    package var attendance: [PresenceBySector]?

    package init(id: UUID, startsAt: Date, place: String, stage: RoundtableStage, cancelled: Bool, attendance: [PresenceBySector]? = nil) {
        self.id = id
        self.startsAt = startsAt
        self.place = place
        self.stage = stage
        self.cancelled = cancelled
        self.attendance = attendance
    }
}

package struct PublicFileDTO: Codable, Sendable {
    package var name: String
    package var mediaType: String
    package var size: Int
    package var sha256: String
    package var url: String

    package init(name: String, mediaType: String, size: Int, sha256: String, url: String) {
        self.name = name
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.url = url
    }
}

package struct PublicDocumentDTO: Codable, Sendable {
    package var id: UUID
    package var kind: DossierItemKind
    package var title: String
    package var body: String
    package var source: String
    package var createdAt: Date?
    package var file: PublicFileDTO?

    package init(id: UUID, kind: DossierItemKind, title: String, body: String, source: String, createdAt: Date? = nil, file: PublicFileDTO? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.source = source
        self.createdAt = createdAt
        self.file = file
    }
}

package struct PublicVersionDTO: Codable, Sendable {
    package var id: UUID
    package var number: Int
    package var frozenAt: Date
    package var sha256: String
    package var sealedAt: Date?
    package var sealedSha256: String?
    /// Each member's latest statement on this version, counted by sector.
    package var conformity: [StanceBySector]

    package init(id: UUID, number: Int, frozenAt: Date, sha256: String, sealedAt: Date? = nil, sealedSha256: String? = nil, conformity: [StanceBySector]) {
        self.id = id
        self.number = number
        self.frozenAt = frozenAt
        self.sha256 = sha256
        self.sealedAt = sealedAt
        self.sealedSha256 = sealedSha256
        self.conformity = conformity
    }
}

package struct SealedPlanDTO: Codable, Sendable {
    package var planVersionId: UUID
    package var number: Int
    package var sealedAt: Date
    package var sha256: String
    package var pdfUrl: String
    package var verifyUrl: String

    package init(planVersionId: UUID, number: Int, sealedAt: Date, sha256: String, pdfUrl: String, verifyUrl: String) {
        self.planVersionId = planVersionId
        self.number = number
        self.sealedAt = sealedAt
        self.sha256 = sha256
        self.pdfUrl = pdfUrl
        self.verifyUrl = verifyUrl
    }
}

package struct PublicExerciseDTO: Codable, Sendable {
    package struct Convener: Codable, Sendable {
        package var sector: Sector
        package var label: String
        package var organizations: [String]

        package init(sector: Sector, label: String, organizations: [String]) {
            self.sector = sector
            self.label = label
            self.organizations = organizations
        }
    }

    package var id: UUID
    package var name: String
    package var territory: String
    /// Nil for an exercise public only because its plan was sealed before publication existed.
    package var publishedAt: Date?
    /// The guarantor convenes the exercise: its sector's organisations.
    package var convener: Convener
    package var stl: [PublicMemberDTO]
    package var roadmap: [RoadmapEventDTO]
    package var roundtables: [PublicRoundtableDTO]
    package var documents: [PublicDocumentDTO]
    package var versions: [PublicVersionDTO]
    package var sealedPlan: SealedPlanDTO?

    package init(
        id: UUID, name: String, territory: String, publishedAt: Date? = nil, convener: Convener, stl: [PublicMemberDTO], roadmap: [RoadmapEventDTO],
        roundtables: [PublicRoundtableDTO], documents: [PublicDocumentDTO], versions: [PublicVersionDTO], sealedPlan: SealedPlanDTO? = nil
    ) {
        self.id = id
        self.name = name
        self.territory = territory
        self.publishedAt = publishedAt
        self.convener = convener
        self.stl = stl
        self.roadmap = roadmap
        self.roundtables = roundtables
        self.documents = documents
        self.versions = versions
        self.sealedPlan = sealedPlan
    }
}
