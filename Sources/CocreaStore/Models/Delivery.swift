import CocreaCore
import FluentKit
import Foundation

/// One email in the outbox. The rendered message is stored whole, so that every attempt sends the
/// same bytes (same Message-ID) and nothing is lost between acknowledgement and sending.
public final class Delivery: Model, @unchecked Sendable {
    public static let schema = "deliveries"

    @ID public var id: UUID?
    @OptionalParent(key: "exercise_id") public var exercise: Exercise?
    /// What the mail is for, e.g. "magicLink", "invitation".
    @Field(key: "kind") public var kind: String
    @Field(key: "from_email") public var fromEmail: String
    @Field(key: "to_email") public var toEmail: String
    @Field(key: "to_name") public var toName: String
    @Field(key: "subject") public var subject: String
    @Field(key: "message") public var message: Data
    @Enum(key: "state") public var state: DeliveryState
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_at") public var claimedAt: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(
        exerciseID: UUID?, kind: String, fromEmail: String, toEmail: String, toName: String,
        subject: String, message: Data, now: Date
    ) {
        self.$exercise.id = exerciseID
        self.kind = kind
        self.fromEmail = fromEmail
        self.toEmail = toEmail
        self.toName = toName
        self.subject = subject
        self.message = message
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = now
    }
}

/// One entry of the hash-chained audit trail (bitácora).
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID public var id: UUID?
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "occurred_at") public var occurredAt: Date
    @OptionalField(key: "actor_user_id") public var actorUserID: UUID?
    @Field(key: "actor") public var actor: String
    @Field(key: "action") public var action: String
    @Field(key: "entity") public var entity: String
    @OptionalField(key: "entity_id") public var entityID: UUID?
    @OptionalField(key: "exercise_id") public var exerciseID: UUID?
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?
    @Field(key: "previous_hash") public var previousHash: String
    @Field(key: "hash") public var hash: String

    public init() {}
}
