import CocreaCore
import CocreaStore
import Foundation
import Vapor

/// The API's shapes (design.md, "Fields"): the same names as the code, ids as UUID strings.
struct ExerciseDTO: Content {
    var id: UUID?
    var name: String
    var territory: String
    var timeZone: String
    var nationalPlan: String
    var sectorLabels: [String: String]

    init(_ exercise: Exercise) {
        id = exercise.id
        name = exercise.name
        territory = exercise.territory
        timeZone = exercise.timeZone
        nationalPlan = exercise.nationalPlan
        sectorLabels = Dictionary(uniqueKeysWithValues: Sector.allCases.map { ($0.rawValue, exercise.label(for: $0)) })
    }
}

struct MemberDTO: Content {
    var id: UUID?
    var name: String
    var email: String
    var sector: Sector
    var organization: String
    var role: Role

    init(_ member: Member) {
        id = member.id
        name = member.name
        email = member.email
        sector = member.sector
        organization = member.organization
        role = member.role
    }
}

struct FileDTO: Content {
    var name: String
    var mediaType: String
    var size: Int
    var sha256: String
}

struct DossierItemDTO: Content {
    var id: UUID?
    var kind: DossierItemKind
    var title: String
    var body: String
    var source: String
    var contributedBy: String
    var createdAt: Date?
    var late: Bool
    var visibility: DossierVisibility
    var file: FileDTO?

    init(_ item: DossierItem, file: StoredFile?, late: Bool) {
        id = item.id
        kind = item.kind
        title = item.title
        body = item.body
        source = item.source
        contributedBy = item.contributedBy
        createdAt = item.createdAt
        self.late = late
        visibility = item.visibility
        self.file = file.map { FileDTO(name: $0.name, mediaType: $0.mediaType, size: $0.size, sha256: $0.sha256) }
    }
}

struct NationalCommitmentDTO: Content {
    var id: UUID?
    var plan: String
    var code: String
    var axis: String?
    var title: String
    var source: String
    var isAxis: Bool

    init(_ entry: NationalCommitment) {
        id = entry.id
        plan = entry.plan
        code = entry.code
        axis = entry.axis
        title = entry.title
        source = entry.source
        isAxis = entry.isAxis
    }
}

struct DeliveryDTO: Content {
    var id: UUID?
    var kind: String
    var toEmail: String
    var subject: String
    var state: DeliveryState
    var attempts: Int
    var lastError: String?
    var createdAt: Date?
    var sentAt: Date?

    init(_ delivery: Delivery) {
        id = delivery.id
        kind = delivery.kind
        toEmail = delivery.toEmail
        subject = delivery.subject
        state = delivery.state
        attempts = delivery.attempts
        lastError = delivery.lastError
        createdAt = delivery.createdAt
        sentAt = delivery.sentAt
    }
}
