import CocreaCore
import FluentKit
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
    /// The dossier item the facilitator is presenting now (in análisis).
    @OptionalParent(key: "presenting_item_id") public var presentingItem: DossierItem?
    /// The minutes (relatoría) as a PDF, made when the table closes.
    @OptionalParent(key: "minutes_file_id") public var minutesFile: StoredFile?
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

/// One thing that happened at a table, in order: what every participant's screen follows live, and
/// what a participant who reconnects catches up on (by `sequence`, the SSE event id).
public final class RoundtableEvent: Model, @unchecked Sendable {
    public static let schema = "roundtable_events"

    @ID public var id: UUID?
    /// Increasing across all tables; written inside the serialised write, so never reused.
    @Field(key: "sequence") public var sequence: Int
    @Parent(key: "roundtable_id") public var roundtable: Roundtable
    /// "stage", "attendance", "intervention" or "presenting".
    @Field(key: "kind") public var kind: String
    /// The event as the pages show it (JSON).
    @Field(key: "payload") public var payload: String
    @Field(key: "occurred_at") public var occurredAt: Date

    public init() {}

    public init(sequence: Int, roundtableID: UUID, kind: String, payload: String, occurredAt: Date) {
        self.sequence = sequence
        self.$roundtable.id = roundtableID
        self.kind = kind
        self.payload = payload
        self.occurredAt = occurredAt
    }
}
