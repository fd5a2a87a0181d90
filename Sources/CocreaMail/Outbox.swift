import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// Puts mail in the outbox. A delivery is written in the caller's transaction, so a message is
/// queued exactly when the change it announces is committed, and never lost after that.
public enum Outbox {
    /// Returns the deliveries it wrote, one per recipient.
    @discardableResult
    public static func enqueue(
        _ message: MailMessage, kind: String, exerciseID: UUID?, on database: Database, now: Date = Date()
    ) async throws -> [Delivery] {
        let raw = message.rendered()
        var deliveries: [Delivery] = []
        for recipient in message.to {
            let delivery = Delivery(
                exerciseID: exerciseID, kind: kind, fromEmail: message.from.email, toEmail: recipient.email,
                toName: recipient.name ?? "", subject: message.subject, message: raw, now: now)
            try await delivery.create(on: database)
            deliveries.append(delivery)
        }
        return deliveries
    }
}

/// How long to wait before trying a delivery again after a temporary failure.
public struct RetryPolicy: Sendable {
    public var maximumAttempts: Int
    public var firstDelay: TimeInterval
    public var maximumDelay: TimeInterval

    public init(maximumAttempts: Int = 8, firstDelay: TimeInterval = 30, maximumDelay: TimeInterval = 6 * 3600) {
        self.maximumAttempts = maximumAttempts
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// Doubling delays: 30 s, 1 min, 2 min, … capped at six hours.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(firstDelay * pow(2, Double(max(attempt - 1, 0))), maximumDelay)
    }
}
