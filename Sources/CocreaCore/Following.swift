import Foundation

/// Following a commitment by email: the address is used only once its owner confirms it, an
/// unconfirmed one does not outlive a week, and a commitment's followers hear of it at most once a day.
public enum FollowerRules {
    /// How long a confirmation link works; past it the address is deleted.
    public static let confirmationLifetime: TimeInterval = 7 * 24 * 3600

    public static func isExpired(requestedAt: Date, at now: Date) -> Bool {
        now.timeIntervalSince(requestedAt) > confirmationLifetime
    }

    /// The address to follow with, lowercased; a missing or malformed one is refused on the `email` field.
    public static func email(_ raw: String?) throws(CocreaError) -> String {
        var v = Validator()
        let email = v.email(raw)
        try v.check()
        return email
    }
}
