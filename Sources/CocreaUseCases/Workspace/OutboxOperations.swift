import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// The instance administrator's view of every email, and sending again one that failed or was interrupted.
package enum OutboxOperations {
    /// The 500 latest deliveries, newest first, without their bodies.
    package static func recent(on ctx: UseCaseContext) async throws -> [Delivery] {
        try await Delivery.query(on: ctx.db)
            .field(\.$id).field(\.$kind).field(\.$toEmail).field(\.$subject).field(\.$state)
            .field(\.$attempts).field(\.$lastError).field(\.$createdAt).field(\.$sentAt)
            .sort(\.$createdAt, .descending).limit(500).all()
    }

    /// Puts a failed or interrupted delivery back in the queue, due now, with its attempts reset.
    package static func retry(_ id: UUID?, by actor: AuditActor, on ctx: UseCaseContext) async throws {
        guard let id else { throw CocreaError.notFound(.mail) }
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: actor, touchesPublicPages: false) { tx, audit in
            guard let delivery = try await Delivery.find(id, on: tx) else { throw CocreaError.notFound(.mail) }
            guard delivery.state == .failed || delivery.state == .interrupted else {
                throw CocreaError.deliveryNotRetryable(state: delivery.state.label(.es))
            }
            let before = delivery.state.rawValue
            delivery.state = .pending
            delivery.nextAttemptAt = now
            delivery.attempts = 0
            try await delivery.save(on: tx)
            try await audit.record(
                "retry", entity: "delivery", id: delivery.id, exercise: delivery.$exercise.id,
                before: ["state": before], after: ["state": "pending"])
        }
    }
}
