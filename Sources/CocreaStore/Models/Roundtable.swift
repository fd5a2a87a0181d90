import CocreaCore
import Fluent
import Foundation

/// A dialogue table (mesa de diálogo).
public final class Roundtable: Model, @unchecked Sendable {
    public static let schema = "roundtables"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "place") public var place: String
    @Enum(key: "stage") public var stage: RoundtableStage
    /// RFC 5545 SEQUENCE of the invitation, raised on every reschedule.
    @Field(key: "invitation_sequence") public var invitationSequence: Int
    @OptionalField(key: "cancelled_at") public var cancelledAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(exerciseID: UUID, startsAt: Date, place: String) {
        self.$exercise.id = exerciseID
        self.startsAt = startsAt
        self.place = place
        self.stage = .scheduled
        self.invitationSequence = 0
    }
}

public final class Attendance: Model, @unchecked Sendable {
    public static let schema = "attendances"

    @ID public var id: UUID?
    @Parent(key: "roundtable_id") public var roundtable: Roundtable
    @Parent(key: "member_id") public var member: Member
    @Enum(key: "presence") public var presence: Presence
    @OptionalField(key: "represented_by") public var representedBy: String?

    public init() {}

    public init(roundtableID: UUID, memberID: UUID, presence: Presence, representedBy: String?) {
        self.$roundtable.id = roundtableID
        self.$member.id = memberID
        self.presence = presence
        self.representedBy = representedBy
    }
}

/// A doubt, contribution or feedback stated at the table, optionally about one dossier item.
public final class Intervention: Model, @unchecked Sendable {
    public static let schema = "interventions"

    @ID public var id: UUID?
    @Parent(key: "roundtable_id") public var roundtable: Roundtable
    @Parent(key: "member_id") public var member: Member
    @OptionalParent(key: "dossier_item_id") public var dossierItem: DossierItem?
    @Enum(key: "kind") public var kind: InterventionKind
    @Field(key: "text") public var text: String
    @OptionalParent(key: "recorded_by_user_id") public var recordedBy: User?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(roundtableID: UUID, memberID: UUID, dossierItemID: UUID?, kind: InterventionKind, text: String, recordedByUserID: UUID?) {
        self.$roundtable.id = roundtableID
        self.$member.id = memberID
        self.$dossierItem.id = dossierItemID
        self.kind = kind
        self.text = text
        self.$recordedBy.id = recordedByUserID
    }
}
