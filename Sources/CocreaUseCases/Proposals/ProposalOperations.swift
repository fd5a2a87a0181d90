import CocreaConsultation
import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

/// A proposal as sent through the public form or `POST /api/v1/public/exercises/{id}/proposals`.
package struct ProposalInput: Codable, Sendable {
    package var problem: String?
    package var solution: String?
    package var theme: String?
    package var email: String?
    /// The honeypot: people never see this field, so anything in it came from a program filling every field.
    package var website: String?

    package init(problem: String? = nil, solution: String? = nil, theme: String? = nil, email: String? = nil, website: String? = nil) {
        self.problem = problem
        self.solution = solution
        self.theme = theme
        self.email = email
        self.website = website
    }
}

package struct ModerationInput: Codable, Sendable {
    package var action: String?
    package var reason: String?

    package init(action: String? = nil, reason: String? = nil) {
        self.action = action
        self.reason = reason
    }
}

package struct ProposalResponseInput: Codable, Sendable {
    package var outcome: String?
    package var reason: String?
    package var commitmentIds: [String]?
    package var mergedInto: String?

    package init(outcome: String? = nil, reason: String? = nil, commitmentIds: [String]? = nil, mergedInto: String? = nil) {
        self.outcome = outcome
        self.reason = reason
        self.commitmentIds = commitmentIds
        self.mergedInto = mergedInto
    }
}

package struct ProposalReceiptDTO: Codable, Sendable {
    package var id: UUID
    package var exerciseId: UUID
    package var receivedAt: Date
    package var status: ProposalStatus
    /// Whether a confirmation mail went to the address given: it is used only once confirmed.
    package var confirmationSent: Bool
}

package struct ProposalAnswerDTO: Codable, Sendable {
    package var outcome: ProposalOutcome
    package var reason: String
    package var commitmentIds: [UUID]
    package var mergedInto: UUID?
    package var respondedAt: Date
}

/// A proposal as anyone sees it: a hidden one keeps its place and its public reason, not its text;
/// one not yet moderated shows only that it was received. Never an email.
package struct PublicProposalDTO: Codable, Sendable {
    package var id: UUID
    package var number: Int
    package var status: ProposalStatus
    package var receivedAt: Date
    package var problem: String?
    package var solution: String?
    package var theme: String?
    package var moderationReason: String?
    package var response: ProposalAnswerDTO?
}

/// A proposal as the STL works on it: the whole text, whether an address was confirmed, never the address.
package struct ProposalDTO: Codable, Sendable {
    package var id: UUID
    package var exerciseId: UUID
    package var number: Int
    package var status: ProposalStatus
    package var receivedAt: Date
    package var problem: String
    package var solution: String
    package var theme: String
    package var moderationReason: String
    package var moderatedAt: Date?
    package var emailGiven: Bool
    package var emailConfirmed: Bool
    package var response: ProposalAnswerDTO?
}

/// Citizen proposals: received while the consultation window is open, moderated by the STL, each
/// published one answered with a reasoned response before a version is frozen (rule R1). The proposer's
/// address is confirmed before any other mail (double opt-in) and never shown.
package enum ProposalOperations {
    package static let honeypotField = "sitio_web"
    /// How a proposer appears in the audit trail: no account, nothing that identifies them.
    package static let citizen = AuditActor(userID: nil, label: "ciudadanía (propuesta sin cuenta)")

    /// What the public form needs to know: the exercise, whether it receives proposals today, and why not.
    package struct Intake: Sendable {
        package var exerciseID: UUID
        package var exerciseName: String
        /// The exercise's time zone, which its pages show dates in.
        package var zone: TimeZone
        package var window: ProposalRules.Window
    }

    /// The exercise's consultation window today, in its time zone; a draft is unknown to the public.
    package static func intake(_ exerciseID: UUID?, on ctx: UseCaseContext) async throws -> Intake {
        guard let exerciseID, let exercise = try await Exercise.find(exerciseID, on: ctx.db), exercise.publishedAt != nil else {
            throw CocreaError.notFound(.exercise)
        }
        let roadmap = try await RoadmapEvent.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).filter(\.$withdrawnAt == nil).all()
        let today = LocalDate(date: ctx.now, in: exercise.zone)!
        return Intake(
            exerciseID: exerciseID, exerciseName: exercise.name, zone: exercise.zone, window: ProposalRules.window(in: roadmap.map(\.entry), on: today))
    }

    /// Receives a proposal: refused, with nothing stored, outside the consultation window, from a
    /// program filling the honeypot, or past the survey answers' abuse limits for the client's address.
    /// A kiosk is one address for everyone at a service window: as for survey answers, only the same
    /// text sent again within seconds (a double tap) counts as a repetition there.
    package static func submit(
        _ input: ProposalInput, to exerciseID: UUID?, client address: String, kiosk: Bool = false, on ctx: UseCaseContext
    ) async throws
        -> ProposalReceiptDTO
    {
        let intake = try await intake(exerciseID, on: ctx)
        if case .closed(let next, let last) = intake.window {
            throw CocreaError.consultationClosed(exercise: intake.exerciseName, next: next, last: last)
        }
        if let honeypot = input.website, !honeypot.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CocreaError.proposalSuspectedAutomation
        }
        let submission = try ProposalRules.submission(problem: input.problem, solution: input.solution, theme: input.theme, email: input.email)
        let now = ctx.now
        // Only what the client cannot rotate; never kept (SurveyIntake hashes it in memory).
        let client = SubmissionGuard.clientKey(address: address)
        let fields = [submission.problem, submission.solution, submission.theme]
        switch ctx.surveyIntake.admit(client: client, proposal: intake.exerciseID, fields, kiosk: kiosk, at: now) {
        case .rateLimited(let seconds): throw CocreaError.proposalRateLimited(retryAfter: seconds)
        case .duplicate: throw CocreaError.duplicateProposal
        case .accepted: break
        }
        let token = submission.email.map { _ in Hashing.randomToken() }
        let exerciseID = intake.exerciseID
        let (baseURL, mailFrom) = (ctx.baseURL, ctx.mailFrom)
        let proposal = try await ctx.writer.write(on: ctx.db, actor: citizen) { tx, audit in
            let proposal = Proposal()
            proposal.$exercise.id = exerciseID
            proposal.problem = submission.problem
            proposal.solution = submission.solution
            proposal.theme = submission.theme
            proposal.receivedAt = now
            proposal.status = .received
            proposal.moderationReason = ""
            proposal.email = submission.email
            proposal.confirmationHash = token.map(Hashing.sha256Hex)
            proposal.outcome = nil
            proposal.responseReason = ""
            proposal.commitmentIDs = []
            proposal.respondedBy = ""
            try await proposal.create(on: tx)
            // The trail keeps what the public may read, never the address.
            try await audit.created(
                "proposal", id: proposal.id, exercise: exerciseID,
                ["problem": proposal.problem, "solution": proposal.solution, "theme": proposal.theme])
            if let email = submission.email, let token {
                let message = Messages.proposalConfirmation(
                    to: email, exercise: intake.exerciseName, problem: submission.problem,
                    link: "\(baseURL)/public/proposals/confirm/\(token)", from: mailFrom)
                try await Outbox.enqueue(message, kind: "proposalConfirmation", exerciseID: exerciseID, on: tx, now: now)
            }
            return proposal
        }
        return ProposalReceiptDTO(
            id: try proposal.requireID(), exerciseId: exerciseID, receivedAt: now, status: .received, confirmationSent: token != nil)
    }

    /// The proposal whose confirmation link carries `token`, if it still waits for confirmation.
    package static func pendingConfirmation(_ token: String, on ctx: UseCaseContext) async throws -> Proposal {
        guard let proposal = try await Proposal.query(on: ctx.db).filter(\.$confirmationHash == Hashing.sha256Hex(token)).with(\.$exercise).first() else {
            throw CocreaError.notFound(.proposalConfirmation)
        }
        return proposal
    }

    /// The second step of the double opt-in. A response given before the confirmation is sent now.
    package static func confirm(_ token: String, on ctx: UseCaseContext) async throws -> Proposal {
        let (now, baseURL, mailFrom) = (ctx.now, ctx.baseURL, ctx.mailFrom)
        let hash = Hashing.sha256Hex(token)
        return try await ctx.writer.write(on: ctx.db, actor: citizen, touchesPublicPages: false) { tx, audit in
            guard let proposal = try await Proposal.query(on: tx).filter(\.$confirmationHash == hash).with(\.$exercise).first() else {
                throw CocreaError.notFound(.proposalConfirmation)
            }
            proposal.confirmationHash = nil
            proposal.emailConfirmedAt = now
            try await proposal.save(on: tx)
            try await audit.record(
                "confirmEmail", entity: "proposal", id: proposal.id, exercise: proposal.$exercise.id,
                before: Optional<String>.none, after: ["emailConfirmedAt": now], at: now)
            try await notify(proposal, exerciseName: proposal.exercise.name, on: tx, now: now, baseURL: baseURL, mailFrom: mailFrom)
            return proposal
        }
    }

    /// Publishes or hides a proposal of the exercise. Hiding keeps it, listed with the public reason.
    package static func moderate(
        _ proposalID: UUID?, _ input: ModerationInput, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws
        -> ProposalDTO
    {
        let (now, exerciseID) = (ctx.now, context.exerciseID)
        let moderation = try ProposalRules.moderation(action: input.action, reason: input.reason)
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let proposal = try await find(proposalID, in: exerciseID, on: tx)
            let before = try await dto(proposal, on: tx)
            proposal.status = moderation.action == .publish ? .published : .hidden
            proposal.moderationReason = moderation.reason
            proposal.moderatedAt = now
            try await proposal.save(on: tx)
            let after = try await dto(proposal, on: tx)
            try await audit.record(moderation.action.rawValue, entity: "proposal", id: proposal.id, exercise: exerciseID, before: before, after: after, at: now)
            return after
        }
    }

    /// The STL's reasoned response; its commitments and the proposal it merges into belong to the
    /// exercise. A proposer who confirmed their address is told by mail.
    package static func respond(
        _ proposalID: UUID?, _ input: ProposalResponseInput, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws
        -> ProposalDTO
    {
        let (now, exerciseID, byline, baseURL, mailFrom) = (ctx.now, context.exerciseID, context.byline, ctx.baseURL, ctx.mailFrom)
        guard let proposalID else { throw CocreaError.notFound(.proposal) }
        let response = try ProposalRules.response(
            outcome: input.outcome, reason: input.reason, commitmentIds: input.commitmentIds, mergedInto: input.mergedInto, proposalID: proposalID)
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let proposal = try await find(proposalID, in: exerciseID, on: tx)
            guard proposal.status == .published else { throw CocreaError.proposalNotPublished }
            var v = Validator()
            if !response.commitmentIds.isEmpty {
                let known = try await Commitment.query(on: tx).filter(\.$id ~~ response.commitmentIds).filter(\.$exercise.$id == exerciseID).all()
                    .compactMap(\.id)
                for (index, id) in response.commitmentIds.enumerated() where !known.contains(id) {
                    v.add(field: "commitmentIds[\(index)]", "problemCommitmentForeign", ["id": .text(id.uuidString.lowercased())])
                }
            }
            if let target = response.mergedInto {
                let merged = try await Proposal.query(on: tx).filter(\.$id == target).filter(\.$exercise.$id == exerciseID).first()
                if merged?.status != .published {
                    v.add(field: "mergedInto", "problemMergedIntoUnpublished")
                }
            }
            try v.check()
            let before = try await dto(proposal, on: tx)
            proposal.outcome = response.outcome
            proposal.responseReason = response.reason
            proposal.commitmentIDs = response.commitmentIds
            proposal.$mergedInto.id = response.mergedInto
            proposal.respondedAt = now
            proposal.respondedBy = byline
            try await proposal.save(on: tx)
            let after = try await dto(proposal, on: tx)
            try await audit.record("respond", entity: "proposal", id: proposal.id, exercise: exerciseID, before: before, after: after, at: now)
            let exercise = try await Exercise.find(exerciseID, on: tx)
            try await notify(proposal, exerciseName: exercise?.name ?? "", on: tx, now: now, baseURL: baseURL, mailFrom: mailFrom)
            return after
        }
    }

    /// Mails the response to a proposer who confirmed their address, who then follows the commitments
    /// it became (the mail says so); nobody else is ever written to.
    private static func notify(
        _ proposal: Proposal, exerciseName: String, on tx: any Database, now: Date, baseURL: String, mailFrom: MailAddress
    )
        async throws
    {
        guard let email = proposal.email, proposal.emailConfirmedAt != nil, let outcome = proposal.outcome else { return }
        let exerciseID = proposal.$exercise.id
        let following = try await FollowerOperations.followIncorporated(proposal, on: tx, now: now, baseURL: baseURL)
        let message = Messages.proposalResponse(
            to: email, exercise: exerciseName, problem: proposal.problem, outcome: outcome, reason: proposal.responseReason,
            link: "\(baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())/proposals", following: following, from: mailFrom)
        try await Outbox.enqueue(message, kind: "proposalResponse", exerciseID: exerciseID, on: tx, now: now)
    }

    package static func find(_ proposalID: UUID?, in exerciseID: UUID, on db: any Database) async throws -> Proposal {
        guard let proposalID, let proposal = try await Proposal.find(proposalID, on: db), proposal.$exercise.id == exerciseID else {
            throw CocreaError.notFound(.proposal)
        }
        return proposal
    }

    /// Every proposal of the exercise, in the order received (their public numbers).
    package static func all(of exerciseID: UUID, on db: any Database) async throws -> [Proposal] {
        try await Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$receivedAt).sort(\.$id).all()
    }

    package static func list(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [ProposalDTO] {
        try await all(of: exerciseID, on: ctx.db).enumerated().map { try dto($1, number: $0 + 1) }
    }

    /// The exercise's commitments by title: those a response may incorporate a proposal into.
    package static func commitments(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [Commitment] {
        try await Commitment.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).sort(\.$title).all()
    }

    package static func publicList(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [PublicProposalDTO] {
        try await publicList(of: exerciseID, on: ctx.db)
    }

    package static func publicList(of exerciseID: UUID, on db: any Database) async throws -> [PublicProposalDTO] {
        try await all(of: exerciseID, on: db).enumerated().map { index, proposal in
            let shown = proposal.status == .published
            return PublicProposalDTO(
                id: try proposal.requireID(), number: index + 1, status: proposal.status, receivedAt: proposal.receivedAt,
                problem: shown ? proposal.problem : nil, solution: shown ? proposal.solution : nil,
                theme: shown && !proposal.theme.isEmpty ? proposal.theme : nil,
                moderationReason: proposal.moderationReason.isEmpty ? nil : proposal.moderationReason, response: answer(proposal))
        }
    }

    /// Rule R1's input: the published proposals still without a response.
    package static func unanswered(in exerciseID: UUID, on db: any Database) async throws -> [UnansweredProposal] {
        try await Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$status == .published).filter(\.$outcome == nil)
            .sort(\.$receivedAt).all().map { UnansweredProposal(id: try $0.requireID(), problem: $0.problem) }
    }

    private static func answer(_ proposal: Proposal) -> ProposalAnswerDTO? {
        guard let outcome = proposal.outcome, let respondedAt = proposal.respondedAt else { return nil }
        return ProposalAnswerDTO(
            outcome: outcome, reason: proposal.responseReason, commitmentIds: proposal.commitmentIDs, mergedInto: proposal.$mergedInto.id,
            respondedAt: respondedAt)
    }

    /// Its number is its place among the exercise's proposals in the order received.
    private static func dto(_ proposal: Proposal, on db: any Database) async throws -> ProposalDTO {
        let order = try await all(of: proposal.$exercise.id, on: db).map(\.id)
        return try dto(proposal, number: (order.firstIndex(of: proposal.id) ?? order.count) + 1)
    }

    private static func dto(_ proposal: Proposal, number: Int) throws -> ProposalDTO {
        ProposalDTO(
            id: try proposal.requireID(), exerciseId: proposal.$exercise.id, number: number, status: proposal.status,
            receivedAt: proposal.receivedAt, problem: proposal.problem, solution: proposal.solution, theme: proposal.theme,
            moderationReason: proposal.moderationReason, moderatedAt: proposal.moderatedAt, emailGiven: proposal.email != nil,
            emailConfirmed: proposal.emailConfirmedAt != nil, response: answer(proposal))
    }
}
