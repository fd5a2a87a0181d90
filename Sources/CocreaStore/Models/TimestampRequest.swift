import FluentKit
import Foundation

/// A signature waiting for its RFC 3161 timestamp: the instance's seal of a plan version (its PDF,
/// signed but not yet timestamped) or an actor's e.firma CMS. The timestamp worker claims one while it
/// is still pending and unclaimed (or its claim's lease ran out), asks the TSA, and either completes it
/// or sets the next attempt later; a restart loses nothing, since the row is the queue.
public final class TimestampRequest: Model, @unchecked Sendable {
    public static let schema = "timestamp_requests"

    @ID public var id: UUID?
    @Parent(key: "plan_version_id") public var planVersion: PlanVersion
    /// The e.firma signature to timestamp; nil for the seal.
    @OptionalParent(key: "signature_id") public var signature: Signature?
    /// The seal's PDF, signed and waiting for its token.
    @OptionalParent(key: "unstamped_file_id") public var unstampedFile: StoredFile?
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_at") public var claimedAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(planVersionID: UUID, signatureID: UUID? = nil, unstampedFileID: UUID? = nil, now: Date) {
        self.$planVersion.id = planVersionID
        self.$signature.id = signatureID
        self.$unstampedFile.id = unstampedFileID
        self.attempts = 0
        self.nextAttemptAt = now
    }
}
