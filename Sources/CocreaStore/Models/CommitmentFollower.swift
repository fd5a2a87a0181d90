import FluentKit
import Foundation

/// Someone who follows a commitment by email, without an account. Nothing is sent to the address
/// but its confirmation until its owner confirms it (double opt-in); an unconfirmed one is deleted
/// after a week. The address is never shown anywhere nor put in open data.
public final class CommitmentFollower: Model, @unchecked Sendable {
    public static let schema = "commitment_followers"

    @ID public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: Commitment
    @Field(key: "email") public var email: String
    /// SHA-256 of the confirmation link's secret; cleared once confirmed.
    @OptionalField(key: "confirmation_hash") public var confirmationHash: String?
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    /// Kept as is, unlike the confirmation's secret: every update mail carries it in its unsubscribe
    /// link, and all it can do is stop that mail.
    @Field(key: "unsubscribe_token") public var unsubscribeToken: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// The update mail of one commitment on one day: the unique (commitment, day) pair keeps it to one a
/// day, even with several processes; `through` is the latest report it told, where the next one starts.
public final class FollowerMail: Model, @unchecked Sendable {
    public static let schema = "follower_mails"

    @ID public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: Commitment
    /// The day in the exercise's time zone, e.g. "2027-02-03".
    @Field(key: "day") public var day: String
    @Field(key: "through") public var through: Date
    @Field(key: "queued_at") public var queuedAt: Date

    public init() {}

    public init(commitmentID: UUID, day: String, through: Date, queuedAt: Date) {
        self.$commitment.id = commitmentID
        self.day = day
        self.through = through
        self.queuedAt = queuedAt
    }
}
