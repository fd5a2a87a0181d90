import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import Logging
import SQLKit

/// Sends the outbox through SMTP, a few mails at a time, so that one slow recipient or server never
/// holds the queue. Each delivery is claimed (pending → sending) in its own committed transaction
/// before any byte goes out, and only while still pending, so two senders — in one process or in
/// several sharing a database — never send the same delivery. What happened is then recorded on that
/// claim, retried while the database is away; a delivery left in `sending` past the lease (the process
/// died mid-send) is marked `interrupted`, never resent on its own: only a person can send it again.
///
/// Finding out whether anything is due is a plain read, and the outbox's writes are bookkeeping no
/// public page shows: an idle outbox neither takes SQLite's write turn nor empties the public cache.
public actor OutboxWorker {
    public struct Configuration: Sendable {
        public var transport: SMTPTransport
        public var retry: RetryPolicy
        public var pollInterval: TimeInterval
        /// A claim older than this belongs to a worker that stopped mid-send.
        public var claimLease: TimeInterval
        /// Mails in flight at once; each attempt is bounded by the transport's timeouts.
        public var concurrency: Int

        public init(
            transport: SMTPTransport, retry: RetryPolicy = RetryPolicy(), pollInterval: TimeInterval = 1,
            claimLease: TimeInterval = 600, concurrency: Int = 4
        ) {
            self.transport = transport
            self.retry = retry
            self.pollInterval = pollInterval
            self.claimLease = claimLease
            self.concurrency = max(1, concurrency)
        }
    }

    /// A delivery as this worker claimed it: the claim's mark tells a late record from a newer claim.
    private struct Claim: Sendable {
        var id: UUID
        var mark: String
        var kind: String
        var message: Data
        var from: String
        var to: String
    }

    private let database: @Sendable () -> Database
    private let writer: Writer
    private let configuration: Configuration
    private let logger: Logger
    private let now: @Sendable () -> Date
    public nonisolated let workerID = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    private let loop: BackgroundLoop
    private var senders: [UUID: Task<Void, Never>] = [:]
    private var stopping = false
    /// Set when `stop` returns: the application may close its database after that, so a send that ends
    /// later records nothing (its delivery stays `sending`, and is marked interrupted after the lease).
    private var closed = false
    private var lastSweep = Date.distantPast

    public init(
        database: @escaping @Sendable () -> Database, writer: Writer, configuration: Configuration,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        self.now = now
        loop = BackgroundLoop(name: "outbox", logger: logger, backoff: .databaseAway)
    }

    public func start() {
        stopping = false
        closed = false
        loop.start { [self, pollInterval = configuration.pollInterval] in
            try await self.turn()
            return pollInterval
        }
    }

    /// Stops claiming and waits for the mails in flight to be sent and recorded, at most `bound` seconds
    /// in all; a send still going on after that is recorded when it ends, or marked interrupted later.
    public func stop(within bound: TimeInterval = BackgroundLoop.stopBound) async {
        stopping = true
        defer { closed = true }
        let deadline = Date().addingTimeInterval(bound)
        await loop.stop(within: bound)
        let inFlight = Array(senders.values)
        guard !inFlight.isEmpty else { return }
        let all = Task { for sender in inFlight { await sender.value } }
        if await !BackgroundLoop.wait(for: all, atMost: deadline.timeIntervalSinceNow) {
            logger.warning("outbox.stop_with_mail_in_flight", metadata: ["senders": "\(inFlight.count)"])
        }
    }

    /// Sends every delivery that is due now, `concurrency` at a time; returns how many were attempted.
    @discardableResult
    public nonisolated func drain() async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<self.configuration.concurrency {
                group.addTask { await self.sendWhileDue(untilStopped: false) }
            }
            return await group.reduce(0, +)
        }
    }

    /// One turn of the loop: recovers abandoned claims once a minute, then starts a sender for each due
    /// delivery a free slot can take. Throws when the database cannot be read (the loop backs off).
    private func turn() async throws {
        if Date().timeIntervalSince(lastSweep) >= 60 {
            try await markAbandonedClaims()
            lastSweep = Date()
        }
        let free = configuration.concurrency - senders.count
        guard free > 0, !stopping else { return }
        let due = try await Self.dueIDs(on: database(), at: now(), limit: free).count
        guard !stopping else { return }
        for _ in 0..<due {
            let id = UUID()
            senders[id] = Task {
                _ = await self.sendWhileDue(untilStopped: true)
                self.senderEnded(id)
            }
        }
    }

    private func senderEnded(_ id: UUID) {
        senders[id] = nil
    }

    private var isStopping: Bool { stopping }
    private var isClosed: Bool { closed }

    /// Claims and sends one due delivery after another until none is left (or the worker stops, for the
    /// loop's senders); returns how many.
    private nonisolated func sendWhileDue(untilStopped: Bool) async -> Int {
        var attempted = 0
        while true {
            if untilStopped, await isStopping { break }
            guard let claim = await claimNext() else { break }
            attempted += 1
            await send(claim)
        }
        return attempted
    }

    private nonisolated func claimNext() async -> Claim? {
        do {
            let claimedAt = now()
            // Read first: when nothing is due, nothing is written.
            guard try await !Self.dueIDs(on: database(), at: claimedAt, limit: 1).isEmpty else { return nil }
            let mark = "\(workerID)/\(UUID().uuidString.prefix(8))"
            return try await writer.write(on: database(), actor: .system, touchesPublicPages: false) { tx, _ in
                guard let id = try await Self.nextDueID(on: tx, at: claimedAt) else { return nil }
                // Only while still pending: another process may have claimed it since it was read.
                try await Delivery.query(on: tx).filter(\.$id == id).filter(\.$state == .pending)
                    .set(\.$state, to: .sending).set(\.$claimedBy, to: mark).set(\.$claimedAt, to: claimedAt)
                    .update()
                guard let delivery = try await Delivery.find(id, on: tx), delivery.state == .sending, delivery.claimedBy == mark
                else { return nil }
                delivery.attempts += 1
                try await delivery.save(on: tx)
                return Claim(
                    id: id, mark: mark, kind: delivery.kind, message: delivery.message,
                    from: delivery.fromEmail, to: delivery.toEmail)
            }
        } catch {
            logger.error("outbox.claim_failed", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    private static func dueIDs(on database: Database, at instant: Date, limit: Int) async throws -> [UUID] {
        try await Delivery.query(on: database)
            .filter(\.$state == .pending)
            .filter(\.$nextAttemptAt <= instant)
            .sort(\.$nextAttemptAt).sort(\.$createdAt)
            .field(\.$id).limit(limit).all().compactMap(\.id)
    }

    /// The oldest due delivery; on PostgreSQL rows another worker holds are skipped, not waited for.
    private static func nextDueID(on database: Database, at instant: Date) async throws -> UUID? {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            struct Row: Decodable { let id: UUID }
            return try await sql.raw(
                """
                SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= \(bind: instant)
                ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """
            ).first(decoding: Row.self)?.id
        }
        return try await dueIDs(on: database, at: instant, limit: 1).first
    }

    private nonisolated func send(_ claim: Claim) async {
        let outcome: MailError?
        do {
            try await configuration.transport.send(raw: claim.message, from: claim.from, recipients: [claim.to])
            outcome = nil
        } catch let error as MailError {
            outcome = error
        } catch {
            outcome = MailError(code: "smtp_unknown", message: "Error inesperado al enviar: \(error)", isPermanent: false)
        }
        let finishedAt = now()
        // The mail has gone or not: that is recorded even if the database is away for a while (a
        // restart), so the delivery never stays `sending` after its mail went out.
        let backoff = BackgroundLoop.Backoff.databaseAway
        let recordingSince = Date()
        var failures = 0
        while true {
            guard await !isClosed else {
                logger.warning("outbox.unrecorded_after_stop", metadata: ["delivery": "\(claim.id)", "sent": "\(outcome == nil)"])
                return
            }
            do {
                try await record(outcome, of: claim, at: finishedAt)
                break
            } catch {
                failures += 1
                logger.error("outbox.record_failed", metadata: ["delivery": "\(claim.id)", "error": "\(String(reflecting: error))"])
                guard Date().timeIntervalSince(recordingSince) < configuration.claimLease else { return }
                try? await Task.sleep(nanoseconds: UInt64(backoff.delay(afterFailures: failures) * 1_000_000_000))
            }
        }
        if let outcome {
            logger.warning("outbox.send_failed", metadata: ["delivery": "\(claim.id)", "code": "\(outcome.code)", "permanent": "\(outcome.isPermanent)"])
        } else {
            logger.info("outbox.sent", metadata: ["delivery": "\(claim.id)", "kind": "\(claim.kind)"])
        }
    }

    /// Writes what happened on the claim it happened to: a row marked interrupted meanwhile gets the
    /// truth, one a person has sent again since is left alone.
    private nonisolated func record(_ outcome: MailError?, of claim: Claim, at finishedAt: Date) async throws {
        let retry = configuration.retry
        try await writer.write(on: database(), actor: .system, touchesPublicPages: false) { tx, _ in
            guard let row = try await Delivery.find(claim.id, on: tx), row.claimedBy == claim.mark,
                row.state == .sending || row.state == .interrupted
            else { return }
            if let outcome {
                row.lastError = outcome.message
                if outcome.isPermanent || row.attempts >= retry.maximumAttempts {
                    row.state = .failed
                } else {
                    row.state = .pending
                    row.nextAttemptAt = finishedAt.addingTimeInterval(retry.delay(afterAttempt: row.attempts))
                }
            } else {
                row.state = .sent
                row.sentAt = finishedAt
                row.lastError = nil
            }
            row.claimedBy = nil
            try await row.save(on: tx)
        }
    }

    private func markAbandonedClaims() async throws {
        let cutoff = now().addingTimeInterval(-configuration.claimLease)
        let abandoned = Delivery.query(on: database()).filter(\.$state == .sending).filter(\.$claimedAt < cutoff)
        guard try await abandoned.count() > 0 else { return }
        try await writer.write(on: database(), actor: .system, touchesPublicPages: false) { tx, _ in
            try await Delivery.query(on: tx)
                .filter(\.$state == .sending)
                .filter(\.$claimedAt < cutoff)
                .set(\.$state, to: .interrupted)
                .set(\.$lastError, to: "El servidor se detuvo mientras enviaba este correo; puede o no haber salido. Revísalo y reenvíalo si hace falta.")
                .update()
        }
    }
}
