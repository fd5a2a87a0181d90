import CocreaCore
import CocreaMail
import CocreaStore
import Fluent
import Vapor

struct PlanRecipientDTO: Content {
    var memberId: UUID
    var name: String
    var email: String
    /// The delivery's state: pending, sending, sent, failed or interrupted.
    var state: DeliveryState
    var attempts: Int
    var sentAt: Date?
    var lastError: String?
}

struct PlanDistributionDTO: Content {
    var planVersionId: UUID
    var recipients: [PlanRecipientDTO]
}

/// Seguimiento: the facilitator emails the sealed PAL to every actor, through the outbox (retries,
/// never twice to the same person; a member added later is sent it on the next sending).
enum PlanDistributionOperations {
    static func distribute(_ version: PlanVersion, in context: ExerciseContext, on req: Request) async throws -> PlanDistributionDTO {
        let options = req.options
        let now = req.now
        let exercise = context.exercise
        return try await req.application.writer.write(on: req.db, actor: context.actor) { tx, audit in
            guard let fresh = try await PlanVersion.find(version.id, on: tx) else { throw CocreaError.notFound("esa versión del plan") }
            guard let fileID = fresh.$sealedFile.id, let file = try await StoredFile.find(fileID, on: tx) else {
                throw CocreaError.notSealedToDistribute
            }
            let sent = Set(try await PlanDistribution.query(on: tx).filter(\.$planVersion.$id == fresh.requireID()).all().map { $0.$member.id })
            let members = try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
                .filter { !sent.contains($0.id!) }
            guard !members.isEmpty else {
                throw CocreaError.alreadyDistributed
            }
            let link = PlanDocumentOperations.verificationURL(of: fresh, baseURL: options.baseURL)
            for member in members {
                let message = Messages.sealedPlan(
                    member: member, exercise: exercise, versionNumber: fresh.number, verificationLink: link,
                    pdf: file.data, fileName: file.name, from: options.mailFrom)
                let deliveries = try await Outbox.enqueue(message, kind: "sealedPlan", exerciseID: context.exerciseID, on: tx, now: now)
                try await PlanDistribution(planVersionID: fresh.requireID(), memberID: member.requireID(), deliveryID: deliveries[0].requireID()).create(on: tx)
            }
            try await audit.record(
                "distribute", entity: "planVersion", id: fresh.id, exercise: context.exerciseID, before: Optional<String>.none,
                after: ["recipients": members.map(\.name).joined(separator: ", "), "sha256": fresh.sealedSHA256 ?? ""], at: now)
            return try await status(of: fresh, on: tx)
        }
    }

    static func status(of version: PlanVersion, on db: Database) async throws -> PlanDistributionDTO {
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
