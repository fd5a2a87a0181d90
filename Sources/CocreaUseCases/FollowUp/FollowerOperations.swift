import CocreaConsultation
import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

/// A request to follow a commitment, as the public form or `POST /api/v1/public/commitments/{id}/followers` sends it.
package struct FollowInput: Codable, Sendable {
    package var email: String?
    /// The honeypot, as in proposals: people never see it.
    package var website: String?

    package init(email: String? = nil, website: String? = nil) {
        self.email = email
        self.website = website
    }
}

/// The answer to a request to follow: the same whether the address already followed or not, so that
/// nobody learns who follows what.
package struct FollowRequestDTO: Codable, Sendable {
    package var commitmentId: UUID
    /// Until when the confirmation link works.
    package var confirmBy: Date
}

/// What a confirmation or unsubscribe link names: the commitment, never the address.
package struct FollowerDTO: Codable, Sendable {
    package var commitmentId: UUID
    package var commitmentTitle: String
    package var exerciseId: UUID
    package var confirmed: Bool
}

/// Following a commitment by email: double opt-in, one-click unsubscribe in every mail, at most one
/// mail a day per commitment and never an empty one; proposers whose proposal became the commitment
/// follow it once their address is confirmed.
package enum FollowerOperations {
    package static let honeypotField = ProposalOperations.honeypotField
    /// How a follower appears in the audit trail: no account and, unlike the database, no address.
    package static let citizen = AuditActor(userID: nil, label: "ciudadanía (seguimiento por correo)")

    /// Asks for the confirmation mail. Refused, with nothing stored, for a commitment the public cannot
    /// see, a malformed address, a program filling the honeypot, or past the proposals' abuse limits.
    package static func follow(
        _ input: FollowInput, commitment commitmentID: UUID?, client address: String, on ctx: UseCaseContext
    ) async throws
        -> FollowRequestDTO
    {
        let commitment = try await publicCommitment(commitmentID, on: ctx.db)
        if let honeypot = input.website, !honeypot.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CocreaError.suspectedAutomation
        }
        let email = try FollowerRules.email(input.email)
        let now = ctx.now
        let id = try commitment.requireID()
        let receipt = FollowRequestDTO(commitmentId: id, confirmBy: now.addingTimeInterval(FollowerRules.confirmationLifetime))
        switch ctx.surveyIntake.admit(client: SubmissionGuard.clientKey(address: address), proposal: id, ["follow", email], at: now) {
        case .rateLimited(let seconds): throw CocreaError.rateLimited(retryAfter: seconds)
        // The same request again from the same client within the window: its mail is already on its way.
        case .duplicate: return receipt
        case .accepted: break
        }
        let (baseURL, mailFrom) = (ctx.baseURL, ctx.mailFrom)
        try await ctx.writer.write(on: ctx.db, actor: citizen, touchesPublicPages: false) { tx, audit in
            let existing = try await CommitmentFollower.query(on: tx).filter(\.$commitment.$id == id).filter(\.$email == email).first()
            // A confirmed follower is not told anything: nobody learns from this answer who follows what.
            if existing?.confirmedAt != nil { return }
            let token = Hashing.randomToken()
            let follower = existing ?? CommitmentFollower()
            follower.$commitment.id = id
            follower.email = email
            follower.confirmationHash = Hashing.sha256Hex(token)
            follower.createdAt = now
            if existing == nil { follower.unsubscribeToken = Hashing.randomToken() }
            try await follower.save(on: tx)
            try await audit.record(
                "requestFollow", entity: "commitmentFollower", id: follower.id, exercise: commitment.$exercise.id,
                before: Optional<String>.none, after: ["commitmentId": id], at: now)
            let message = Messages.followConfirmation(
                to: email, commitment: commitment.title, exercise: commitment.exercise.name,
                link: "\(baseURL)/public/followers/\(token)/confirm", unsubscribe: unsubscribeLink(follower, baseURL: baseURL), from: mailFrom)
            _ = try await Outbox.enqueue(message, kind: "followConfirmation", exerciseID: commitment.$exercise.id, on: tx, now: now)
        }
        return receipt
    }

    /// The follower a confirmation link names, while it waits for confirmation; an expired one is refused.
    package static func pending(_ token: String, on ctx: UseCaseContext) async throws -> FollowerDTO {
        dto(try await awaitingConfirmation(token, on: ctx.db, at: ctx.now))
    }

    /// The second step of the double opt-in: from now on the address gets the commitment's daily news.
    package static func confirm(_ token: String, on ctx: UseCaseContext) async throws -> FollowerDTO {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: citizen, touchesPublicPages: false) { tx, audit in
            let follower = try await awaitingConfirmation(token, on: tx, at: now)
            follower.confirmationHash = nil
            follower.confirmedAt = now
            try await follower.save(on: tx)
            try await audit.record(
                "confirmFollow", entity: "commitmentFollower", id: follower.id, exercise: follower.commitment.$exercise.id,
                before: Optional<String>.none, after: ["confirmedAt": now], at: now)
            return dto(follower)
        }
    }

    /// The follower an unsubscribe link names.
    package static func subscription(_ token: String, on ctx: UseCaseContext) async throws -> FollowerDTO {
        dto(try await unsubscribing(token, on: ctx.db))
    }

    /// Stops every mail about the commitment to that address, and forgets the address.
    package static func unsubscribe(_ token: String, on ctx: UseCaseContext) async throws -> FollowerDTO {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: citizen, touchesPublicPages: false) { tx, audit in
            let follower = try await unsubscribing(token, on: tx)
            var gone = dto(follower)
            try await follower.delete(on: tx)
            try await audit.record(
                "unfollow", entity: "commitmentFollower", id: follower.id, exercise: gone.exerciseId, before: ["commitmentId": gone.commitmentId],
                after: Optional<String>.none, at: now)
            gone.confirmed = false
            return gone
        }
    }

    /// A proposer who confirmed their address follows every commitment their proposal became, confirmed
    /// already: called in the transaction of the response or of the confirmation, whichever comes last.
    /// Returns those commitments, for the response mail to say so with their unsubscribe links.
    package static func followIncorporated(
        _ proposal: Proposal, on tx: any Database, now: Date, baseURL: String
    ) async throws -> [Messages.FollowedCommitment] {
        guard let email = proposal.email?.lowercased(), proposal.emailConfirmedAt != nil,
            proposal.outcome == .incorporated || proposal.outcome == .partiallyIncorporated
        else { return [] }
        let titles = Dictionary(
            uniqueKeysWithValues: try await Commitment.query(on: tx).filter(\.$id ~~ proposal.commitmentIDs).all().compactMap { commitment in
                commitment.id.map { ($0, commitment.title) }
            })
        var followed: [Messages.FollowedCommitment] = []
        for id in proposal.commitmentIDs {
            let follower =
                try await CommitmentFollower.query(on: tx).filter(\.$commitment.$id == id).filter(\.$email == email).first() ?? CommitmentFollower()
            if follower.confirmedAt == nil {
                if follower.id == nil {
                    follower.$commitment.id = id
                    follower.email = email
                    follower.unsubscribeToken = Hashing.randomToken()
                    follower.createdAt = now
                }
                follower.confirmationHash = nil
                follower.confirmedAt = now
                try await follower.save(on: tx)
            }
            followed.append(
                Messages.FollowedCommitment(
                    title: titles[id] ?? "", link: "\(baseURL)/public/commitments/\(id.uuidString.lowercased())",
                    unsubscribe: unsubscribeLink(follower, baseURL: baseURL)))
        }
        return followed
    }

    package struct DailyOutcome: Sendable, Equatable {
        /// Mails queued now, one per follower of each commitment with news.
        package var queued: Int
        /// Commitments with news whose mail of the day had already gone.
        package var waiting: Int
        /// Unconfirmed addresses past their week, deleted.
        package var expired: Int

        package init(queued: Int, waiting: Int, expired: Int) {
            self.queued = queued
            self.waiting = waiting
            self.expired = expired
        }
    }

    /// Deletes the expired addresses and queues the day's mail of every followed commitment with reports,
    /// or civil society's verdicts (verified, observed) on its reports, since its last mail: one mail a day
    /// per commitment at most (its `FollowerMail` row, written with the mail, is unique per day), never an
    /// empty one, and news that come after the mail of the day are told the next day.
    package static func sendDaily(on ctx: UseCaseContext, at now: Date) async throws -> DailyOutcome {
        var outcome = DailyOutcome(queued: 0, waiting: 0, expired: try await deleteExpired(on: ctx, at: now))
        let followers = try await CommitmentFollower.query(on: ctx.db).filter(\.$confirmedAt != nil).all()
        let followed = Dictionary(grouping: followers, by: { $0.$commitment.id })
        guard !followed.isEmpty else { return outcome }
        let commitments = try await Commitment.query(on: ctx.db).filter(\.$id ~~ Array(followed.keys)).with(\.$exercise).with(\.$activities).all()
        let mails = try await FollowerMail.query(on: ctx.db).filter(\.$commitment.$id ~~ Array(followed.keys)).all()
        let mailed = Dictionary(grouping: mails, by: { $0.$commitment.id }).compactMapValues { $0.map(\.through).max() }
        // Before its first mail, a commitment's news start when its first follower confirmed.
        let baseline = followed.compactMapValues { $0.compactMap(\.confirmedAt).min() }.merging(mailed) { _, last in last }
        let activityIDs = commitments.flatMap { $0.activities.compactMap(\.id) }
        guard let since = baseline.values.min(), !activityIDs.isEmpty else { return outcome }
        let reports = try await ActivityUpdate.query(on: ctx.db).filter(\.$activity.$id ~~ activityIDs).filter(\.$reportedAt > since)
            .sort(\.$reportedAt).sort(\.$id).all()
        // A verdict is news even on a report told before: it changes what the report is worth.
        let verdicts = try await VerificationEntry.query(on: ctx.db).filter(\.$at > since)
            .join(ActivityUpdate.self, on: \VerificationEntry.$update.$id == \ActivityUpdate.$id)
            .filter(ActivityUpdate.self, \.$activity.$id ~~ activityIDs).sort(\.$at).sort(\.$id).all()
            .filter { $0.step != .answered }
        var progressOf: [UUID: PublicProgressDTO?] = [:]
        for commitment in commitments {
            let id = try commitment.requireID()
            let titles = Dictionary(uniqueKeysWithValues: commitment.activities.map { ($0.id!, $0.title) })
            let zone = commitment.exercise.zone
            func told(_ report: ActivityUpdate, verdict: Messages.FollowedVerdict? = nil) -> Messages.FollowedChange {
                Messages.FollowedChange(
                    activity: titles[report.$activity.id] ?? "", status: ActivityStatus(rawValue: report.status) ?? .notStarted, progress: report.progress,
                    note: report.note, reportedOn: MexicanFormat.numeric(report.reportedAt, in: zone), verdict: verdict)
            }
            let start = baseline[id] ?? now
            var news = reports.filter { titles[$0.$activity.id] != nil && $0.reportedAt > start }.map { (at: $0.reportedAt, change: told($0)) }
            for entry in verdicts where entry.at > start {
                let report = try entry.joined(ActivityUpdate.self)
                guard titles[report.$activity.id] != nil else { continue }
                let by = entry.organization.isEmpty ? entry.name : "\(entry.name), \(entry.organization)"
                let verdict = Messages.FollowedVerdict(
                    verdict: entry.step == .verified ? .verified : .observed, by: by, reason: entry.text, givenOn: MexicanFormat.numeric(entry.at, in: zone))
                news.append((at: entry.at, change: told(report, verdict: verdict)))
            }
            news.sort { $0.at < $1.at }
            guard let through = news.last?.at else { continue }
            let day = LocalDate(date: now, in: zone)!.description
            if mails.contains(where: { $0.$commitment.id == id && $0.day == day }) {
                outcome.waiting += 1
                continue
            }
            let exerciseID = commitment.$exercise.id
            if progressOf[exerciseID] == nil {
                progressOf[exerciseID] = .some(try? await ProgressOperations.publicProgress(of: exerciseID, at: now, on: ctx.db))
            }
            let progress = progressOf[exerciseID]??.commitments.first { $0.id == id }?.progress ?? 0
            let changes = news.map(\.change)
            let (baseURL, mailFrom) = (ctx.baseURL, ctx.mailFrom)
            let page = "\(baseURL)/public/commitments/\(id.uuidString.lowercased())"
            do {
                let queued = try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
                    guard try await FollowerMail.query(on: tx).filter(\.$commitment.$id == id).filter(\.$day == day).first() == nil else { return -1 }
                    try await FollowerMail(commitmentID: id, day: day, through: through, queuedAt: now).create(on: tx)
                    // Read again inside: whoever unsubscribed a moment ago gets nothing.
                    let recipients = try await CommitmentFollower.query(on: tx).filter(\.$commitment.$id == id).filter(\.$confirmedAt != nil).all()
                    for follower in recipients {
                        let message = Messages.followedProgress(
                            to: follower.email, commitment: commitment.title, exercise: commitment.exercise.name, progress: progress, changes: changes,
                            link: page, unsubscribe: unsubscribeLink(follower, baseURL: baseURL), from: mailFrom)
                        _ = try await Outbox.enqueue(message, kind: "followedProgress", exerciseID: exerciseID, on: tx, now: now)
                    }
                    return recipients.count
                }
                if queued < 0 { outcome.waiting += 1 } else { outcome.queued += queued }
            } catch {
                // Another process queued the same day's mail between our check and our insert (unique key).
                guard try await FollowerMail.query(on: ctx.db).filter(\.$commitment.$id == id).filter(\.$day == day).first() != nil else { throw error }
                outcome.waiting += 1
            }
        }
        return outcome
    }

    /// Unconfirmed addresses older than `FollowerRules.confirmationLifetime` are deleted, not kept.
    private static func deleteExpired(on ctx: UseCaseContext, at now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-FollowerRules.confirmationLifetime)
        let stale = try await CommitmentFollower.query(on: ctx.db).filter(\.$confirmedAt == nil).filter(\.$createdAt < cutoff).count()
        guard stale > 0 else { return 0 }
        try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
            try await CommitmentFollower.query(on: tx).filter(\.$confirmedAt == nil).filter(\.$createdAt < cutoff).delete()
        }
        return stale
    }

    /// A commitment of an exercise the public can see; any other is unknown.
    package static func publicCommitment(_ commitmentID: UUID?, on db: any Database) async throws -> Commitment {
        guard let commitmentID, let commitment = try await Commitment.query(on: db).filter(\.$id == commitmentID).with(\.$exercise).first(),
            try await PublicationOperations.isPublic(commitment.exercise, on: db)
        else {
            throw CocreaError.publicCommitmentNotFound
        }
        return commitment
    }

    private static func awaitingConfirmation(_ token: String, on db: any Database, at now: Date) async throws -> CommitmentFollower {
        guard
            let follower = try await CommitmentFollower.query(on: db).filter(\.$confirmationHash == Hashing.sha256Hex(token)).with(\.$commitment).first()
        else {
            throw CocreaError.followLinkNotFound
        }
        if FollowerRules.isExpired(requestedAt: follower.createdAt, at: now) { throw CocreaError.followLinkExpired }
        return follower
    }

    private static func unsubscribing(_ token: String, on db: any Database) async throws -> CommitmentFollower {
        guard !token.isEmpty, let follower = try await CommitmentFollower.query(on: db).filter(\.$unsubscribeToken == token).with(\.$commitment).first()
        else {
            throw CocreaError.followLinkNotFound
        }
        return follower
    }

    private static func unsubscribeLink(_ follower: CommitmentFollower, baseURL: String) -> String {
        "\(baseURL)/public/followers/\(follower.unsubscribeToken)/unsubscribe"
    }

    private static func dto(_ follower: CommitmentFollower) -> FollowerDTO {
        FollowerDTO(
            commitmentId: follower.$commitment.id, commitmentTitle: follower.commitment.title, exerciseId: follower.commitment.$exercise.id,
            confirmed: follower.confirmedAt != nil)
    }
}
