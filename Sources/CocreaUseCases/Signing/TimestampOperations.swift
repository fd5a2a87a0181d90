import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The queue of signatures waiting for their RFC 3161 timestamp (`TimestampRequest`): the seal of a
/// plan is completed only once the TSA has stamped it, never with the local clock; an e.firma signature
/// is kept when it is made and its CMS stamped here afterwards, since a timestamp over a signature value
/// needs no key; so is its PDF signature in the signing copy, when the authority did not answer at once
/// (`datingSigningCopy`). A TSA that does not answer, or answers badly, leaves the request for a later attempt;
/// one that can never succeed (the authority rejects it for good, or the token does not fit in the PDF)
/// is closed as failed, with its reason in `lastError`, until the operator retries it
/// (`cocrea timestamps retry`). A request is failed when it is closed with a `lastError`.
package enum TimestampOperations {
    /// A claim older than this is taken as abandoned (its process stopped mid-way) and tried again:
    /// asking a TSA twice costs nothing, unlike a mail sent twice.
    static let lease: TimeInterval = 120

    /// The wait after `attempts` failed attempts: 30 seconds, doubling up to an hour.
    static func delay(afterAttempts attempts: Int) -> TimeInterval {
        min(30 * pow(2, Double(min(max(attempts - 1, 0), 10))), 3600)
    }

    package struct Outcome: Sendable, Equatable {
        package var completed: Int
        package var postponed: Int
        /// Requests closed unstamped because what they were to stamp is gone; their `lastError` says what.
        package var abandoned: Int
        /// Requests closed unstamped because no attempt could succeed; their `lastError` says why.
        package var failed: Int

        package init(completed: Int = 0, postponed: Int = 0, abandoned: Int = 0, failed: Int = 0) {
            self.completed = completed
            self.postponed = postponed
            self.abandoned = abandoned
            self.failed = failed
        }
    }

    /// Asks `authority` for every request that is due, one after another.
    package static func runDue(with authority: TimestampAuthority, on ctx: UseCaseContext) async throws -> Outcome {
        var outcome = Outcome()
        var tried: Set<UUID> = []
        while let claim = try await claimNext(excluding: tried, on: ctx) {
            tried.insert(claim.id)
            do {
                if try await complete(claim, with: authority, on: ctx) {
                    outcome.completed += 1
                } else {
                    outcome.abandoned += 1
                }
            } catch is SigningCopyMoved {
                // Not a failure of the authority: tried again at the next run, over the new revision.
                try await postpone(claim, because: "\(SigningCopyMoved())", retryNow: true, on: ctx)
                outcome.postponed += 1
            } catch  where error is TimestampAuthority.Rejected || error is PDFSeal.TimestampDoesNotFit {
                ctx.logger.error("timestamp.failed", metadata: ["request": "\(claim.id)", "error": "\(error)"])
                try await fail(claim, because: "\(error)", on: ctx)
                outcome.failed += 1
            } catch {
                ctx.logger.warning("timestamp.postponed", metadata: ["request": "\(claim.id)", "error": "\(error)"])
                try await postpone(claim, because: "\(error)", on: ctx)
                outcome.postponed += 1
            }
        }
        return outcome
    }

    /// The requests for the timestamp of `versionID`'s seal (the e.firma requests name their signature):
    /// at most one, open, completed or failed.
    static func sealRequests(of versionID: UUID, on db: Database) -> QueryBuilder<TimestampRequest> {
        TimestampRequest.query(on: db).filter(\.$planVersion.$id == versionID).filter(\.$signature.$id == nil)
    }

    /// Whether the seal of `version` is waiting for its timestamp.
    package static func sealPending(_ version: PlanVersion, on db: Database) async throws -> Bool {
        try await sealRequests(of: version.requireID(), on: db).filter(\.$completedAt == nil).count() > 0
    }

    /// Whether `version`'s seal was completed with its authority's token, so that `sealedAt` is the
    /// authority's time rather than the server's.
    package static func sealStamped(_ version: PlanVersion, on db: Database) async throws -> Bool {
        try await sealRequests(of: version.requireID(), on: db).filter(\.$completedAt != nil).filter(\.$lastError == nil).count() > 0
    }

    /// Why stamping a version failed for good, when a request of its own (its seal or an e.firma) did:
    /// what the facilitator and the operator see on its signing status while it is not sealed.
    package static func failure(of versionID: UUID, on db: Database) async throws -> TimestampFailureDTO? {
        guard
            let request = try await TimestampRequest.query(on: db).filter(\.$planVersion.$id == versionID).filter(\.$completedAt != nil)
                .filter(\.$lastError != nil).sort(\.$completedAt, .descending).first(),
            let reason = request.lastError, let failedAt = request.completedAt
        else { return nil }
        return TimestampFailureDTO(reason: reason, failedAt: failedAt)
    }

    /// Opens every failed request again, due now with its attempts counted from zero, for after the
    /// operator removed the cause (another authority, more room); returns how many.
    package static func retryFailed(on ctx: UseCaseContext) async throws -> Int {
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
            let failed = try await TimestampRequest.query(on: tx).filter(\.$completedAt != nil).filter(\.$lastError != nil).all()
            for request in failed {
                let exercise = try await PlanVersion.find(request.$planVersion.id, on: tx)?.$exercise.id
                try await audit.record(
                    "retryTimestamp", entity: "timestampRequest", id: request.id, exercise: exercise, before: ["lastError": request.lastError ?? ""],
                    after: Optional<String>.none, at: now)
                request.completedAt = nil
                request.attempts = 0
                request.nextAttemptAt = now
                request.claimedBy = nil
                request.claimedAt = nil
                try await request.save(on: tx)
            }
            return failed.count
        }
    }

    struct Claim: Sendable {
        let id: UUID
        let mark: String
    }

    /// The oldest due request, marked as this attempt's only while it is still open and unclaimed
    /// (or its claim is stale), so two processes never work on the same one.
    private static func claimNext(excluding tried: Set<UUID>, on ctx: UseCaseContext) async throws -> Claim? {
        let now = ctx.now
        let stale = now.addingTimeInterval(-lease)
        let due = try await TimestampRequest.query(on: ctx.db).filter(\.$completedAt == nil).filter(\.$nextAttemptAt <= now)
            .group(.or) { $0.filter(\.$claimedAt == nil).filter(\.$claimedAt < stale) }
            .sort(\.$nextAttemptAt).sort(\.$createdAt).field(\.$id).all().compactMap(\.id)
        guard let id = due.first(where: { !tried.contains($0) }) else { return nil }
        let mark = UUID().uuidString
        return try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
            try await TimestampRequest.query(on: tx).filter(\.$id == id).filter(\.$completedAt == nil)
                .group(.or) { $0.filter(\.$claimedAt == nil).filter(\.$claimedAt < stale) }
                .set(\.$claimedBy, to: mark).set(\.$claimedAt, to: now).update()
            guard let request = try await TimestampRequest.find(id, on: tx), request.claimedBy == mark else { return nil }
            return Claim(id: id, mark: mark)
        }
    }

    /// Stamps the claimed request's signature and keeps the result, if the claim still holds. When there is
    /// nothing left to stamp the request is closed saying so, since no later attempt could stamp it, and
    /// `false` is returned.
    private static func complete(_ claim: Claim, with authority: TimestampAuthority, on ctx: UseCaseContext) async throws -> Bool {
        guard let request = try await TimestampRequest.find(claim.id, on: ctx.db) else { return false }
        if let signatureID = request.$signature.id {
            guard let signature = try await Signature.find(signatureID, on: ctx.db), let cms = signature.efirmaCMS else {
                try await finish(claim, because: "la firma e.firma o su CMS ya no existen", on: ctx) { _, _ in }
                return false
            }
            let token = try await authority.stamp(try TimeStamp.signatureValue(of: Array(cms)), client: ctx.fetchClient, at: ctx.now)
            let stamped = try TimeStamp.attaching(token, to: Array(cms))
            let member = try await Member.find(signature.$member.id, on: ctx.db)
            // Its PDF signature too, in the signing copy, unless the seal already covers it or will date it.
            let dated = try await datingSigningCopy(of: request.$planVersion.id, with: authority, on: ctx)
            try await finish(claim, on: ctx) { tx, audit in
                guard let fresh = try await Signature.find(signatureID, on: tx) else { return }
                fresh.efirmaCMS = Data(stamped)
                try await fresh.save(on: tx)
                try await audit.record(
                    "timestampEFirma", entity: "signature", id: signatureID, exercise: member?.$exercise.id, before: Optional<String>.none,
                    after: ["member": member?.name ?? "", "time": ISO8601DateFormatter().string(from: token.time), "authority": token.authority],
                    at: ctx.now)
                if let dated { try await keep(dated, on: tx, audit: audit, at: ctx.now) }
            }
        } else {
            guard let fileID = request.$unstampedFile.id, let file = try await StoredFile.find(fileID, on: ctx.db) else {
                try await finish(claim, because: "el PDF sellado que esperaba su sello de tiempo ya no existe", on: ctx) { _, _ in }
                return false
            }
            let sealed = try await resealingOverDatedCopy(of: request.$planVersion.id, claim: claim, with: authority, on: ctx) ?? file.data
            let token = try await authority.stamp(try PDFSeal.signatureValue(in: sealed), client: ctx.fetchClient, at: ctx.now)
            let stamped = try PDFSeal.addingTimestamp(token, to: sealed)
            let versionID = request.$planVersion.id
            let now = ctx.now
            try await finish(claim, on: ctx) { tx, audit in
                guard let version = try await PlanVersion.find(versionID, on: tx), version.sealedAt == nil else { return }
                try await SigningOperations.keepSealed(stamped, of: version, at: token.time, timestamp: token, recordedAt: now, on: tx, audit: audit)
            }
        }
        return true
    }

    /// Runs `keep` and marks the request done (with `reason` when it was not stamped) in one transaction,
    /// only while this attempt's claim holds.
    private static func finish(
        _ claim: Claim, because reason: String? = nil, on ctx: UseCaseContext,
        _ keep: @escaping @Sendable (Database, AuditLog) async throws -> Void
    ) async throws {
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
            guard let request = try await TimestampRequest.find(claim.id, on: tx), request.completedAt == nil, request.claimedBy == claim.mark
            else { return }
            try await keep(tx, audit)
            request.completedAt = now
            request.attempts += 1
            request.lastError = reason
            try await request.save(on: tx)
        }
    }

    /// Closes the request as failed, saying why, with an audit event: no later attempt could succeed.
    private static func fail(_ claim: Claim, because reason: String, on ctx: UseCaseContext) async throws {
        let now = ctx.now
        let reason = String(reason.prefix(500))
        try await finish(claim, because: reason, on: ctx) { tx, audit in
            guard let request = try await TimestampRequest.find(claim.id, on: tx) else { return }
            let exercise = try await PlanVersion.find(request.$planVersion.id, on: tx)?.$exercise.id
            try await audit.record(
                "timestampFailed", entity: "timestampRequest", id: claim.id, exercise: exercise, before: Optional<String>.none,
                after: ["reason": reason, "planVersion": request.$planVersion.id.uuidString], at: now)
        }
    }

    /// Counts the failed attempt, says why, and sets when to try again (at once, uncounted, with
    /// `retryNow`); the claim is released.
    private static func postpone(_ claim: Claim, because reason: String, retryNow: Bool = false, on ctx: UseCaseContext) async throws {
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
            guard let request = try await TimestampRequest.find(claim.id, on: tx), request.completedAt == nil, request.claimedBy == claim.mark
            else { return }
            if !retryNow { request.attempts += 1 }
            request.lastError = String(reason.prefix(500))
            request.nextAttemptAt = retryNow ? now : now.addingTimeInterval(delay(afterAttempts: request.attempts))
            request.claimedBy = nil
            request.claimedAt = nil
            try await request.save(on: tx)
        }
    }
}

/// A timestamp that cannot be obtained without the operator: the reason as recorded, and what to do,
/// encoded as `message` in the answer's language.
package struct TimestampFailureDTO: Codable, Sendable, Equatable {
    package var reason: String
    package var failedAt: Date

    package init(reason: String, failedAt: Date) {
        self.reason = reason
        self.failedAt = failedAt
    }

    package func message(_ words: Words) -> String {
        ErrorText(key: "signingTimestampFailed", values: ["reason": .text(reason)]).rendered(words)
    }

    private enum CodingKeys: String, CodingKey { case reason, failedAt, message }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(reason: try container.decode(String.self, forKey: .reason), failedAt: try container.decode(Date.self, forKey: .failedAt))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reason, forKey: .reason)
        try container.encode(failedAt, forKey: .failedAt)
        try container.encode(message(encoder.words), forKey: .message)
    }
}
