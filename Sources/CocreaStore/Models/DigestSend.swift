import FluentKit
import Foundation

/// A weekly digest queued for one person: the unique (email, week) pair is what keeps it to one a
/// week, even with several processes or a rerun of `cocrea digest`.
public final class DigestSend: Model, @unchecked Sendable {
    public static let schema = "digest_sends"

    @ID public var id: UUID?
    @Field(key: "email") public var email: String
    /// ISO 8601 week, e.g. "2026-W48".
    @Field(key: "week") public var week: String
    @Field(key: "queued_at") public var queuedAt: Date

    public init() {}

    public init(email: String, week: String, queuedAt: Date) {
        self.email = email
        self.week = week
        self.queuedAt = queuedAt
    }
}
