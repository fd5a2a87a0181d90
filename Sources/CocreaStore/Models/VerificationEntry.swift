import CocreaCore
import FluentKit
import Foundation

/// One step of a progress report's verification: a civil-society member's verdict (verified or
/// observed, with its reason) or the reporter's answer to an observation. Kept whole, as public history.
public final class VerificationEntry: Model, @unchecked Sendable {
    public static let schema = "verification_entries"

    @ID public var id: UUID?
    @Parent(key: "activity_update_id") public var update: ActivityUpdate
    /// 1 for a report's first step, and so on: the order of its history, and (unique per report) what keeps
    /// two verdicts sent at once from both landing on the same state.
    @Field(key: "position") public var position: Int
    @Enum(key: "step") public var step: VerificationStep
    /// The observation's reason, the verdict's comment, or the answer.
    @Field(key: "text") public var text: String
    /// Who took the step: the account, for the own-report rule, and the name, sector and organization the
    /// public history shows (never the email).
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "name") public var name: String
    @OptionalEnum(key: "sector") public var sector: Sector?
    @Field(key: "organization") public var organization: String
    @Field(key: "at") public var at: Date

    public init() {}
}
