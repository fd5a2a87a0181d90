import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import SQLKit

/// What the plan page shows, read in seven queries however large the plan (eight with a procurement
/// commitment, for its OCDS packages): each table once, joined where a row belongs to another, and
/// nothing the page does not show (no frozen content, no mail body).
package struct PlanOverview: Sendable {
    /// A frozen version as the page lists it, without its content.
    package struct Version: Sendable {
        package var id: UUID
        package var number: Int
        package var sha256: String
        package var frozenAt: Date
        package var conformityClosedAt: Date?
        package var signaturesRequestedAt: Date?
        package var sealedAt: Date?
        package var sealedSHA256: String?
    }

    /// The latest version's conformity, signatures and sending, as their use cases report them.
    package struct Latest: Sendable {
        package var version: Version
        /// Each member's standing statement, in the order stated.
        package var stances: [ConformityDTO]
        package var signing: SigningStatusDTO
        package var distribution: PlanDistributionDTO
    }

    package var commitments: [CommitmentDTO]
    /// Each activity's latest report with its verification steps, by activity.
    package var reports: [UUID: (update: ActivityUpdate, steps: [VerificationEntry])]
    package var check: PlanCheckDTO
    /// The exercise's national plan, by code: what a commitment may align with.
    package var catalogue: [NationalCommitment]
    /// The dossier's problems a commitment may answer, in the order added.
    package var problems: [DossierItem]
    package var origins: [UUID: CommitmentOriginDTO]
    package var versions: [Version]
    package var latest: Latest?
    /// The OCDS packages of the procurement commitments, without their bytes, by commitment.
    package var packages: [UUID: [ProcurementPackage]]
    /// The surveys the public has seen (published or closed) and the information-request topics, in
    /// their order: what a commitment may answer, and what the linked ones say in its origin.
    package var surveys: [Survey]
    package var topics: [RequestTopic]

    package static func read(_ exercise: Exercise, on ctx: UseCaseContext) async throws -> PlanOverview {
        let exerciseID = try exercise.requireID()
        let db = ctx.db
        async let proposalRows = Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$receivedAt).sort(\.$id).all()
        async let versionRows = versions(of: exerciseID, on: db)
        let (commitments, reports) = try await tree(of: exerciseID, on: db)
        let linkedItems = Array(Set(commitments.compactMap(\.dossierItemId)))
        let linkedNational = Array(Set(commitments.compactMap(\.nationalCommitmentId)))
        async let itemRows = dossierItems(of: exerciseID, linked: linkedItems, on: db)
        async let nationalRows = NationalCommitment.query(on: db)
            .group(.or) { either in
                either.filter(\.$plan == exercise.nationalPlan)
                if !linkedNational.isEmpty { either.filter(\.$id ~~ linkedNational) }
            }
            .sort(\.$code).all()
        async let packageRows = ProcurementOperations.summaries(of: commitments.filter { $0.category == .procurement }.compactMap(\.id), on: db)
        async let surveyRows = Survey.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$status != SurveyStatus.draft.rawValue)
            .sort(\.$publishedAt).sort(\.$id).all()
        async let topicRows = RequestTopic.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$position).sort(\.$id).all()
        let proposals = try await proposalRows
        let (items, said) = try await itemRows
        let national = try await nationalRows
        let linked = Set(linkedItems)
        let unanswered = proposals.filter { $0.status == .published && $0.outcome == nil }.map { UnansweredProposal(id: $0.id!, problem: $0.problem) }
        let (versions, latest) = try await versionRows
        let (surveys, topics) = try await (surveyRows, topicRows)
        let consultation = CommitmentOrigins.Consultation(
            surveys: Dictionary(surveys.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }),
            topics: Dictionary(topics.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }))
        return PlanOverview(
            commitments: commitments, reports: reports, check: CommitmentOperations.check(commitments, unanswered: unanswered),
            catalogue: national.filter { $0.plan == exercise.nationalPlan },
            problems: items.filter { DossierItemKind.linkableProblems.contains($0.kind) },
            origins: CommitmentOrigins.origins(
                of: commitments, proposals: proposals,
                items: Dictionary(items.filter { linked.contains($0.id!) }.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }),
                said: said, national: Dictionary(national.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }), consultation: consultation,
                for: .workspace),
            versions: versions, latest: latest, packages: Dictionary(grouping: try await packageRows, by: { $0.$commitment.id }), surveys: surveys,
            topics: topics)
    }

    /// The commitments in the order added, each activity with its latest report (latest by time, then by
    /// id, as `ProgressOperations` reads it) and that report's verification steps: one row per step.
    private static func tree(
        of exerciseID: UUID, on db: any Database
    ) async throws -> ([CommitmentDTO], [UUID: (update: ActivityUpdate, steps: [VerificationEntry])]) {
        let later = SQLQueryString(
            """
            NOT EXISTS (SELECT 1 FROM activity_updates later WHERE later.activity_id = activity_updates.activity_id \
            AND (later.reported_at > activity_updates.reported_at OR (later.reported_at = activity_updates.reported_at AND later.id > activity_updates.id)))
            """)
        let rows = try await Commitment.query(on: db).filter(\.$exercise.$id == exerciseID)
            .join(Activity.self, on: \Commitment.$id == \Activity.$commitment.$id, method: .left)
            .join(
                ActivityUpdate.self,
                [
                    .field(.path(["activity_id"], schema: ActivityUpdate.schema), .equal, .path(["id"], schema: Activity.schema)),
                    .custom(later),
                ], method: .left
            )
            .join(VerificationEntry.self, on: \ActivityUpdate.$id == \VerificationEntry.$update.$id, method: .left)
            .sort(\.$createdAt).sort(\.$id).sort(VerificationEntry.self, \.$position)
            .all()
        var order: [UUID] = []
        var commitments: [UUID: (commitment: Commitment, activities: [UUID: Activity])] = [:]
        var reports: [UUID: (update: ActivityUpdate, steps: [VerificationEntry])] = [:]
        for row in rows {
            let id = try row.requireID()
            if commitments[id] == nil {
                order.append(id)
                commitments[id] = (row, [:])
            }
            guard let activity = joined(Activity.self, of: row), let activityID = activity.id else { continue }
            commitments[id]!.activities[activityID] = activity
            guard let update = joined(ActivityUpdate.self, of: row) else { continue }
            if reports[activityID] == nil { reports[activityID] = (update, []) }
            if let step = joined(VerificationEntry.self, of: row) { reports[activityID]!.steps.append(step) }
        }
        return (order.map { CommitmentDTO(commitments[$0]!.commitment, activities: Array(commitments[$0]!.activities.values)) }, reports)
    }

    /// The model a left join found, or nil where it found none.
    private static func joined<Joined: Model>(_ type: Joined.Type, of row: some Model) -> Joined? {
        guard let model = try? row.joined(Joined.self), model.id != nil else { return nil }
        return model
    }

    /// The dossier's problems and the items commitments link to, in the order added, and what was said
    /// at the tables about the linked ones (feedback aside), in the order said.
    private static func dossierItems(
        of exerciseID: UUID, linked: [UUID], on db: any Database
    ) async throws -> ([DossierItem], [CommitmentOrigins.Said]) {
        try await CommitmentOrigins.itemsAndSaid(
            DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID)
                .group(.or) { either in
                    either.filter(\.$kind ~~ DossierItemKind.linkableProblems)
                    if !linked.isEmpty { either.filter(\.$id ~~ linked) }
                }
                .sort(\.$createdAt).sort(\.$id),
            linked: linked)
    }

    /// Every version, and for the latest each member of the exercise with their signature, the sealed
    /// PAL's sending and delivery, and their standing statement of conformity: one row per member.
    private static func versions(of exerciseID: UUID, on db: any Database) async throws -> ([Version], Latest?) {
        struct Row: Decodable {
            var versionID: UUID
            var number: Int
            var sha256: String
            var frozenAt: Date
            var conformityClosedAt, signaturesRequestedAt, sealedAt: Date?
            var sealedSHA256: String?
            var memberID: UUID?
            var name, email, sector, organization: String?
            var signatureID: UUID?
            var method: String?
            var signedAt: Date?
            var failedAttempts: Int?
            var distributedAt: Date?
            var state: String?
            var attempts: Int?
            var sentAt: Date?
            var lastError: String?
            var stance, reason: String?
            var statedAt: Date?

            enum CodingKeys: String, CodingKey {
                case versionID = "version_id", frozenAt = "frozen_at", conformityClosedAt = "conformity_closed_at"
                case signaturesRequestedAt = "signatures_requested_at", sealedAt = "sealed_at", sealedSHA256 = "sealed_sha256"
                case memberID = "member_id", signatureID = "signature_id", signedAt = "signed_at", failedAttempts = "failed_attempts"
                case distributedAt = "distributed_at", sentAt = "sent_at", lastError = "last_error", statedAt = "stated_at"
                case number, sha256, name, email, sector, organization, method, state, attempts, stance, reason
            }
        }
        guard let sql = db as? any SQLDatabase else { return ([], nil) }
        let rows = try await sql.raw(
            """
            SELECT v.id AS version_id, v.number, v.sha256, v.frozen_at, v.conformity_closed_at, v.signatures_requested_at, v.sealed_at, v.sealed_sha256,
                   m.id AS member_id, m.name, m.email, m.sector, m.organization,
                   s.id AS signature_id, s.method, s.signed_at, s.failed_attempts,
                   pd.created_at AS distributed_at, d.state, d.attempts, d.sent_at, d.last_error,
                   c.stance, c.reason, c.stated_at
            FROM plan_versions v
            LEFT JOIN members m ON m.exercise_id = v.exercise_id
                AND v.number = (SELECT MAX(newest.number) FROM plan_versions newest WHERE newest.exercise_id = v.exercise_id)
            LEFT JOIN signatures s ON s.plan_version_id = v.id AND s.member_id = m.id
            LEFT JOIN plan_distributions pd ON pd.plan_version_id = v.id AND pd.member_id = m.id
            LEFT JOIN deliveries d ON d.id = pd.delivery_id
            LEFT JOIN conformities c ON c.plan_version_id = v.id AND c.member_id = m.id AND NOT EXISTS (
                SELECT 1 FROM conformities later WHERE later.plan_version_id = c.plan_version_id AND later.member_id = c.member_id
                AND (later.stated_at > c.stated_at OR (later.stated_at = c.stated_at AND later.id > c.id)))
            WHERE v.exercise_id = \(bind: exerciseID)
            ORDER BY v.number, m.created_at, m.id
            """
        ).all(decoding: Row.self)
        var versions: [Version] = []
        for row in rows where versions.last?.id != row.versionID {
            versions.append(
                Version(
                    id: row.versionID, number: row.number, sha256: row.sha256, frozenAt: row.frozenAt, conformityClosedAt: row.conformityClosedAt,
                    signaturesRequestedAt: row.signaturesRequestedAt, sealedAt: row.sealedAt, sealedSHA256: row.sealedSHA256))
        }
        guard let version = versions.last else { return ([], nil) }
        let members = rows.filter { $0.versionID == version.id && $0.memberID != nil }
        let signatures = members.compactMap { row -> SignatureStatusDTO? in
            guard let memberID = row.memberID, let name = row.name, let sector = row.sector.flatMap(Sector.init(rawValue:)) else { return nil }
            return SignatureStatusDTO(
                memberId: memberID, name: name, sector: sector, organization: row.organization ?? "", requested: row.signatureID != nil,
                method: row.signedAt == nil ? nil : row.method, signedAt: row.signedAt,
                locked: row.failedAttempts.map { SigningCode.isLocked(wrongCodes: $0) } ?? false)
        }
        let recipients = members.filter { $0.distributedAt != nil }.sorted { $0.distributedAt! < $1.distributedAt! }.map { row in
            PlanRecipientDTO(
                memberId: row.memberID!, name: row.name ?? "", email: row.email ?? "", state: DeliveryState(rawValue: row.state ?? "") ?? .pending,
                attempts: row.attempts ?? 0, sentAt: row.sentAt, lastError: row.lastError)
        }
        let stances = members.compactMap { row -> ConformityDTO? in
            guard let stance = row.stance.flatMap(Stance.init(rawValue:)), let statedAt = row.statedAt else { return nil }
            let statement = Conformity()
            statement.$member.id = row.memberID!
            statement.stance = stance
            statement.reason = row.reason
            statement.statedAt = statedAt
            return ConformityDTO(statement)
        }.sorted { $0.statedAt < $1.statedAt }
        return (
            versions,
            Latest(
                version: version, stances: stances,
                signing: SigningStatusDTO(
                    planVersionId: version.id, requestedAt: version.signaturesRequestedAt, sealed: version.sealedAt != nil, sealedAt: version.sealedAt,
                    sealedSha256: version.sealedSHA256, signatures: signatures),
                distribution: PlanDistributionDTO(planVersionId: version.id, recipients: recipients))
        )
    }
}
