import CocreaCore
import CocreaStore
import Fluent
import Vapor

/// What anyone sees of an exercise from its publication: who takes part (never an email), the
/// roadmap with its changes, the tables, the public documents, every frozen plan version with
/// conformity by sector, and the sealed PAL.
enum PublicExerciseOperations {
    /// The exercise if the person asking may see its public face: anyone once it is public, only its
    /// members and the instance's administrators while it is a draft. Others learn nothing.
    static func visibleExercise(_ exerciseID: UUID?, to req: Request) async throws -> (exercise: Exercise, isPublic: Bool) {
        guard let exerciseID, let exercise = try await Exercise.find(exerciseID, on: req.db) else {
            throw CocreaError.notFound("ese ejercicio")
        }
        if try await PublicationOperations.isPublic(exercise, on: req.db) { return (exercise, true) }
        guard let user = try await req.currentUser() else { throw CocreaError.notFound("ese ejercicio") }
        if user.isAdministrator { return (exercise, false) }
        let member = try await Member.query(on: req.db).filter(\.$exercise.$id == exerciseID)
            .filter(\.$user.$id == user.requireID()).first()
        guard member != nil else { throw CocreaError.notFound("ese ejercicio") }
        return (exercise, false)
    }

    static func overview(of exercise: Exercise, baseURL: String, language: Language = .es, on db: Database) async throws -> PublicExerciseDTO {
        let exerciseID = try exercise.requireID()
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$name).all()
        let sectorOf = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.sector) })
        let tables = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$startsAt).all()
        let closedIDs = tables.filter { $0.stage == .closed }.map { $0.id! }
        let attendance = closedIDs.isEmpty ? [] : try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ closedIDs).all()
        let items = try await DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID)
            .filter(\.$visibility == .public).with(\.$file).sort(\.$createdAt).all()
        let versions = try await PlanVersion.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$number).all()
        let versionIDs = versions.map { $0.id! }
        let statements = versionIDs.isEmpty ? [] : try await Conformity.query(on: db).filter(\.$planVersion.$id ~~ versionIDs).sort(\.$statedAt).all()
        let exerciseURL = "\(baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())"

        func bySector(_ sectors: [Sector]) -> [SectorCount] {
            Sector.allCases.map { sector in
                SectorCount(sector: sector, label: exercise.label(for: sector, language: language), count: sectors.filter { $0 == sector }.count)
            }
        }
        let sealed = versions.last { $0.sealedAt != nil }
        return PublicExerciseDTO(
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
                var latest: [UUID: Conformity] = [:]
                for statement in statements where statement.$planVersion.id == version.id { latest[statement.$member.id] = statement }
                return PublicVersionDTO(
                    id: version.id!, number: version.number, frozenAt: version.frozenAt, sha256: version.sha256,
                    sealedAt: version.sealedAt, sealedSha256: version.sealedSHA256,
                    conformity: Stance.allCases.map { stance in
                        StanceBySector(stance: stance, sectors: bySector(latest.values.filter { $0.stance == stance }.compactMap { sectorOf[$0.$member.id] }))
                    })
            },
            sealedPlan: sealed.map { version in
                SealedPlanDTO(
                    planVersionId: version.id!, number: version.number, sealedAt: version.sealedAt!, sha256: version.sealedSHA256 ?? "",
                    pdfUrl: "\(baseURL)/api/v1/plan-versions/\(version.id!.uuidString.lowercased())/sealed.pdf",
                    verifyUrl: "\(baseURL)/verify/\(version.id!.uuidString.lowercased())")
            })
    }

    /// A public document's file, for anyone once the exercise is public.
    static func documentFile(_ itemID: UUID, of exercise: Exercise, on db: Database) async throws -> StoredFile {
        guard
            let item = try await DossierItem.query(on: db).filter(\.$id == itemID).filter(\.$exercise.$id == exercise.requireID())
                .filter(\.$visibility == .public).with(\.$file).first(), let file = item.file
        else {
            throw CocreaError.notFound("ese documento")
        }
        return file
    }
}

struct SectorCount: Content {
    var sector: Sector
    var label: String
    var count: Int
}

struct PresenceBySector: Content {
    var presence: Presence
    var sectors: [SectorCount]
}

struct StanceBySector: Content {
    var stance: Stance
    var sectors: [SectorCount]
}

struct PublicMemberDTO: Content {
    var name: String
    var sector: Sector
    var sectorLabel: String
    var organization: String
}

struct PublicRoundtableDTO: Content {
    var id: UUID
    var startsAt: Date
    var place: String
    var stage: RoundtableStage
    var cancelled: Bool
    /// Once the table is closed: how many of each sector were present, absent or represented.
    var attendance: [PresenceBySector]?
}

struct PublicFileDTO: Content {
    var name: String
    var mediaType: String
    var size: Int
    var sha256: String
    var url: String
}

struct PublicDocumentDTO: Content {
    var id: UUID
    var kind: DossierItemKind
    var title: String
    var body: String
    var source: String
    var createdAt: Date?
    var file: PublicFileDTO?
}

struct PublicVersionDTO: Content {
    var id: UUID
    var number: Int
    var frozenAt: Date
    var sha256: String
    var sealedAt: Date?
    var sealedSha256: String?
    /// Each member's latest statement on this version, counted by sector.
    var conformity: [StanceBySector]
}

struct SealedPlanDTO: Content {
    var planVersionId: UUID
    var number: Int
    var sealedAt: Date
    var sha256: String
    var pdfUrl: String
    var verifyUrl: String
}

struct PublicExerciseDTO: Content {
    struct Convener: Content {
        var sector: Sector
        var label: String
        var organizations: [String]
    }

    var id: UUID
    var name: String
    var territory: String
    /// Nil for an exercise public only because its plan was sealed before publication existed.
    var publishedAt: Date?
    /// The guarantor convenes the exercise: its sector's organisations.
    var convener: Convener
    var stl: [PublicMemberDTO]
    var roadmap: [RoadmapEventDTO]
    var roundtables: [PublicRoundtableDTO]
    var documents: [PublicDocumentDTO]
    var versions: [PublicVersionDTO]
    var sealedPlan: SealedPlanDTO?
}
