import CocreaCore
import CocreaStore
import Foundation

/// The API's shapes (design.md, "Fields"): the same names as the code, ids as UUID strings.
package struct ExerciseDTO: Codable, Sendable {
    package var id: UUID?
    package var name: String
    package var territory: String
    package var timeZone: String
    package var nationalPlan: String
    package var sectorLabels: [String: String]

    package init(_ exercise: Exercise) {
        id = exercise.id
        name = exercise.name
        territory = exercise.territory
        timeZone = exercise.timeZone
        nationalPlan = exercise.nationalPlan
        sectorLabels = Dictionary(uniqueKeysWithValues: Sector.allCases.map { ($0.rawValue, exercise.label(for: $0)) })
    }
}

package struct MemberDTO: Codable, Sendable {
    package var id: UUID?
    package var name: String
    package var email: String
    package var sector: Sector
    package var organization: String
    package var role: Role
    package var rfc: String?
    package var curp: String?

    package init(_ member: Member) {
        id = member.id
        name = member.name
        email = member.email
        sector = member.sector
        organization = member.organization
        role = member.role
        rfc = member.rfc
        curp = member.curp
    }
}

package struct FileDTO: Codable, Sendable {
    package var name: String
    package var mediaType: String
    package var size: Int
    package var sha256: String

    package init(name: String, mediaType: String, size: Int, sha256: String) {
        self.name = name
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
    }
}

package struct DossierItemDTO: Codable, Sendable {
    package var id: UUID?
    package var kind: DossierItemKind
    package var title: String
    package var body: String
    package var source: String
    package var contributedBy: String
    package var createdAt: Date?
    package var late: Bool
    package var visibility: DossierVisibility
    package var file: FileDTO?

    package init(_ item: DossierItem, file: StoredFile?, late: Bool) {
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

package struct NationalCommitmentDTO: Codable, Sendable {
    package var id: UUID?
    package var plan: String
    package var code: String
    package var axis: String?
    package var title: String
    package var source: String
    package var isAxis: Bool

    package init(_ entry: NationalCommitment) {
        id = entry.id
        plan = entry.plan
        code = entry.code
        axis = entry.axis
        title = entry.title
        source = entry.source
        isAxis = entry.isAxis
    }
}

package struct DeliveryDTO: Codable, Sendable {
    package var id: UUID?
    package var kind: String
    package var toEmail: String
    package var subject: String
    package var state: DeliveryState
    package var attempts: Int
    package var lastError: String?
    package var createdAt: Date?
    package var sentAt: Date?

    package init(_ delivery: Delivery) {
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
