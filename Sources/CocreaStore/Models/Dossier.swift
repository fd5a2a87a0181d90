import CocreaCore
import FluentKit
import Foundation

/// An uploaded file, kept in the database so that backups and several servers see the same bytes.
public final class StoredFile: Model, @unchecked Sendable {
    public static let schema = "stored_files"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "media_type") public var mediaType: String
    @Field(key: "size") public var size: Int
    @Field(key: "sha256") public var sha256: String
    @Field(key: "data") public var data: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(name: String, mediaType: String, data: Data, sha256: String) {
        self.name = name
        self.mediaType = mediaType
        self.size = data.count
        self.data = data
        self.sha256 = sha256
    }
}

/// One input of the dossier (insumo del expediente previo).
public final class DossierItem: Model, @unchecked Sendable {
    public static let schema = "dossier_items"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Enum(key: "kind") public var kind: DossierItemKind
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @Field(key: "source") public var source: String
    /// The member who brought it (nil when an instance administrator added it).
    @OptionalParent(key: "contributed_by_member_id") public var contributedByMember: Member?
    @Field(key: "contributed_by") public var contributedBy: String
    @OptionalParent(key: "file_id") public var file: StoredFile?
    @Field(key: "revision") public var revision: Int
    /// Public items are the exercise's document repository once it is published.
    @Enum(key: "visibility") public var visibility: DossierVisibility
    /// Set from the application's clock: whether an item is late (rule D10) depends on it.
    @OptionalField(key: "created_at") public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Listed here rather than found by reflection, since the workspace, the dossier and the plan read every
    /// item (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] {
        [$id, $exercise, $kind, $title, $body, $source, $contributedByMember, $contributedBy, $file, $revision, $visibility, $createdAt, $updatedAt]
    }

    public init() {}

    public init(
        exerciseID: UUID, kind: DossierItemKind, title: String, body: String, source: String,
        contributedByMemberID: UUID?, contributedBy: String, fileID: UUID?, createdAt: Date,
        visibility: DossierVisibility = .public
    ) {
        self.$exercise.id = exerciseID
        self.kind = kind
        self.title = title
        self.body = body
        self.source = source
        self.$contributedByMember.id = contributedByMemberID
        self.contributedBy = contributedBy
        self.$file.id = fileID
        self.revision = 1
        self.createdAt = createdAt
        self.visibility = visibility
    }
}

/// A sending of the dossier, as it stood then, to every member (envío del expediente).
public final class DossierDistribution: Model, @unchecked Sendable {
    public static let schema = "dossier_distributions"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "version") public var version: Int
    /// SHA-256 of the items' canonical content at sending time; a change makes a new version.
    @Field(key: "content_sha256") public var contentSHA256: String
    @Field(key: "item_count") public var itemCount: Int
    @OptionalParent(key: "sent_by_user_id") public var sentBy: User?
    @Field(key: "sent_at") public var sentAt: Date

    public init() {}

    public init(exerciseID: UUID, version: Int, contentSHA256: String, itemCount: Int, sentByUserID: UUID?, sentAt: Date) {
        self.$exercise.id = exerciseID
        self.version = version
        self.contentSHA256 = contentSHA256
        self.itemCount = itemCount
        self.$sentBy.id = sentByUserID
        self.sentAt = sentAt
    }
}

/// A member's acknowledgement of one distribution (acuse), reached through a personal link.
public final class Receipt: Model, @unchecked Sendable {
    public static let schema = "receipts"

    @ID public var id: UUID?
    @Parent(key: "distribution_id") public var distribution: DossierDistribution
    @Parent(key: "member_id") public var member: Member
    @Field(key: "token_hash") public var tokenHash: String
    /// The link of the latest reminder, which works beside the first one.
    @OptionalField(key: "reminder_token_hash") public var reminderTokenHash: String?
    @OptionalField(key: "received_at") public var receivedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// The receipt a personal link (first or reminder) opens, with its distribution and member.
    public static func find(token: String, on db: Database) async throws -> Receipt? {
        let hash = Hashing.sha256Hex(token)
        return try await Receipt.query(on: db)
            .group(.or) { $0.filter(\.$tokenHash == hash).filter(\.$reminderTokenHash == hash) }
            .with(\.$distribution).with(\.$member).first()
    }

    public init(distributionID: UUID, memberID: UUID, tokenHash: String) {
        self.$distribution.id = distributionID
        self.$member.id = memberID
        self.tokenHash = tokenHash
    }
}
