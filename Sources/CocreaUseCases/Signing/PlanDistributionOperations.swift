import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

package struct PlanRecipientDTO: Codable, Sendable {
    package var memberId: UUID
    package var name: String
    package var email: String
    /// The delivery's state: pending, sending, sent, failed or interrupted.
    package var state: DeliveryState
    package var attempts: Int
    package var sentAt: Date?
    package var lastError: String?

    package init(memberId: UUID, name: String, email: String, state: DeliveryState, attempts: Int, sentAt: Date? = nil, lastError: String? = nil) {
        self.memberId = memberId
        self.name = name
        self.email = email
        self.state = state
        self.attempts = attempts
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

package struct PlanDistributionDTO: Codable, Sendable {
    package var planVersionId: UUID
    package var recipients: [PlanRecipientDTO]

    package init(planVersionId: UUID, recipients: [PlanRecipientDTO]) {
        self.planVersionId = planVersionId
        self.recipients = recipients
    }
}

/// Seguimiento: the facilitator emails the sealed PAL to every actor, through the outbox (retries,
/// never twice to the same person; a member added later is sent it on the next sending).
package enum PlanDistributionOperations {
    package static func distribute(_ version: PlanVersion, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> PlanDistributionDTO {
        let now = ctx.now
        let exercise = context.exercise
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let fresh = try await PlanVersion.find(version.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
            guard let fileID = fresh.$sealedFile.id, let file = try await StoredFile.find(fileID, on: tx) else {
                throw CocreaError.notSealedToDistribute
            }
            let sent = Set(try await PlanDistribution.query(on: tx).filter(\.$planVersion.$id == fresh.requireID()).all().map { $0.$member.id })
            let members = try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
                .filter { !sent.contains($0.id!) }
            guard !members.isEmpty else {
                throw CocreaError.alreadyDistributed
            }
            let link = PlanDocumentOperations.verificationURL(of: fresh, baseURL: ctx.baseURL)
            for member in members {
                let message = Messages.sealedPlan(
                    member: member, exercise: exercise, versionNumber: fresh.number, verificationLink: link,
                    pdf: file.data, fileName: file.name, from: ctx.mailFrom)
                let deliveries = try await Outbox.enqueue(message, kind: "sealedPlan", exerciseID: context.exerciseID, on: tx, now: now)
                try await PlanDistribution(planVersionID: fresh.requireID(), memberID: member.requireID(), deliveryID: deliveries[0].requireID()).create(on: tx)
            }
            try await audit.record(
                "distribute", entity: "planVersion", id: fresh.id, exercise: context.exerciseID, before: Optional<String>.none,
                after: ["recipients": members.map(\.name).joined(separator: ", "), "sha256": fresh.sealedSHA256 ?? ""], at: now)
            return try await status(of: fresh, on: tx)
        }
    }

    package static func status(of version: PlanVersion, on ctx: UseCaseContext) async throws -> PlanDistributionDTO {
        try await status(of: version, on: ctx.db)
    }

    /// On a database or a write's transaction: `distribute` answers with it from inside its own.
    package static func status(of version: PlanVersion, on db: Database) async throws -> PlanDistributionDTO {
        let rows = try await PlanDistribution.query(on: db).filter(\.$planVersion.$id == version.requireID())
            .with(\.$member).with(\.$delivery).sort(\.$createdAt).all()
        return PlanDistributionDTO(
            planVersionId: try version.requireID(),
            recipients: rows.map { row in
                PlanRecipientDTO(
                    memberId: row.$member.id, name: row.member.name, email: row.member.email, state: row.delivery.state,
                    attempts: row.delivery.attempts, sentAt: row.delivery.sentAt, lastError: row.delivery.lastError)
            })
    }
}
