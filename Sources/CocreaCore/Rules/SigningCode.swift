import Foundation

/// An actor signs with a one-time code sent to their email: it works ten minutes, is not sent again
/// while a fresh one (under a minute old) still works, and five wrong codes lock the link until the
/// facilitation sends a new one. A wrong e.firma password counts as a wrong code: five, of either, lock it.
public enum SigningCode {
    public static let lifetime: TimeInterval = 10 * 60
    public static let resendPause: TimeInterval = 60
    public static let maximumWrongCodes = 5

    public static func isLocked(wrongCodes: Int) -> Bool { wrongCodes >= maximumWrongCodes }

    /// When a code asked for `now` stops working.
    public static func expiry(sentAt now: Date) -> Date { now.addingTimeInterval(lifetime) }

    /// Whether asking for a code now sends a new one: not while the last one is under a minute old.
    public static func sendsANewCode(lastExpiresAt: Date?, now: Date) -> Bool {
        guard let lastExpiresAt else { return true }
        return lastExpiresAt.timeIntervalSince(now) <= lifetime - resendPause
    }

    /// What a code typed `now` does.
    public enum Attempt: Sendable, Equatable {
        /// The code is right and still works: the actor signs.
        case signs
        /// The code is wrong: it counts, and this many attempts are left before the link locks.
        case wrong(wrongCodes: Int, remaining: Int)
    }

    /// Judges a code: refused when none works (never asked for, or past its ten minutes), counted when wrong.
    public static func attempt(matches: Bool, expiresAt: Date?, wrongCodes: Int, now: Date) throws(CocreaError) -> Attempt {
        guard let expiresAt, expiresAt > now else { throw CocreaError.signingCodeExpired }
        guard matches else { return wrong(after: wrongCodes) }
        return .signs
    }

    /// One more wrong secret (a code, or the password of an e.firma key) on a link that had `wrongCodes`.
    public static func wrong(after wrongCodes: Int) -> Attempt {
        let counted = wrongCodes + 1
        return .wrong(wrongCodes: counted, remaining: max(0, maximumWrongCodes - counted))
    }

    /// The answer to a wrong code once it is counted: how many are left, or that the link is now locked.
    public static func refusal(remaining: Int) -> CocreaError {
        remaining <= 0 ? .signingLinkLocked : .signingCodeWrong(remainingAttempts: remaining)
    }

    /// The answer to a wrong e.firma password once it is counted.
    public static func passwordRefusal(remaining: Int) -> CocreaError {
        remaining <= 0 ? .signingLinkLocked : .efirmaPasswordWrong(remainingAttempts: remaining)
    }
}
