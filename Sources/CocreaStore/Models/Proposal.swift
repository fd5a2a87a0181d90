import CocreaCore
import FluentKit
import Foundation

/// A citizen proposal received during a consultation window, without an account. The email, when
/// given, is only used once its owner confirmed it (double opt-in) and never leaves the workspace's
/// mail: no page, feed or API answer shows it.
public final class Proposal: Model, @unchecked Sendable {
    public static let schema = "proposals"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "problem") public var problem: String
    @Field(key: "solution") public var solution: String
    @Field(key: "theme") public var theme: String
    @Field(key: "received_at") public var receivedAt: Date
    @Enum(key: "status") public var status: ProposalStatus
    /// The reason the public reads for hiding it (or a note on publishing it).
    @Field(key: "moderation_reason") public var moderationReason: String
    @OptionalField(key: "moderated_at") public var moderatedAt: Date?
    @OptionalField(key: "email") public var email: String?
    /// SHA-256 of the confirmation link's secret; cleared once confirmed.
    @OptionalField(key: "confirmation_hash") public var confirmationHash: String?
    @OptionalField(key: "email_confirmed_at") public var emailConfirmedAt: Date?
    @OptionalEnum(key: "outcome") public var outcome: ProposalOutcome?
    @Field(key: "response_reason") public var responseReason: String
    /// The commitments it became, as a JSON array of ids.
    @Field(key: "commitment_ids") public var commitmentIDsJSON: String
    @OptionalParent(key: "merged_into_id") public var mergedInto: Proposal?
    @OptionalField(key: "responded_at") public var respondedAt: Date?
    @Field(key: "responded_by") public var respondedBy: String

    public init() {}

    public var commitmentIDs: [UUID] {
        get { (try? JSONDecoder().decode([UUID].self, from: Data(commitmentIDsJSON.utf8))) ?? [] }
        set { commitmentIDsJSON = JSON.canonical(newValue) }
    }
}
