import CocreaCore
import CocreaStore
import Fluent
import Foundation
import Logging
import SQLKit

/// Sends the outbox through SMTP. Each delivery is claimed (pending → sending) in its own committed
/// transaction before any byte goes out, so two workers — in one process or in several sharing a
/// PostgreSQL database — never send the same delivery. A delivery left in `sending` by a worker that
/// died is marked `interrupted`, never resent on its own: only a person can send it again.
public actor OutboxWorker {
    public struct Configuration: Sendable {
        public var transport: SMTPTransport
        public var retry: RetryPolicy
        public var pollInterval: TimeInterval
        /// A claim older than this belongs to a worker that stopped mid-send.
        public var claimLease: TimeInterval

        public init(transport: SMTPTransport, retry: RetryPolicy = RetryPolicy(), pollInterval: TimeInterval = 1, claimLease: TimeInterval = 600) {
            self.transport = transport
            self.retry = retry
            self.pollInterval = pollInterval
            self.claimLease = claimLease
        }
    }

    private let database: @Sendable () -> Database
    private let writer: Writer
    private let configuration: Configuration
    private let logger: Logger
    private let now: @Sendable () -> Date
    public nonisolated let workerID = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    private var loop: Task<Void, Never>?

    public init(database: @escaping @Sendable () -> Database, writer: Writer, configuration: Configuration,
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func start() {
        guard loop == nil else { return }
        loop = Task { [pollInterval = configuration.pollInterval] in
            var lastSweep = Date.distantPast
            while !Task.isCancelled {
                if Date().timeIntervalSince(lastSweep) >= 60 {
                    await self.markAbandonedClaims()
                    lastSweep = Date()
                }
                let sent = await self.drain()
                if sent == 0 {
                    try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
                }
            }
        }
    }

    /// Stops polling after the delivery in flight, if any, has been sent and recorded.
    public func stop() async {
        guard let loop else { return }
        loop.cancel()
        await loop.value
        self.loop = nil
    }

    /// Sends every delivery that is due now; returns how many were attempted.
    @discardableResult
    public func drain() async -> Int {
        var attempted = 0
        while !Task.isCancelled, let delivery = await claimNext() {
            attempted += 1
            await send(delivery)
        }
        return attempted
    }

    private func claimNext() async -> Delivery? {
        do {
            let claimedAt = now()
            let workerID = workerID
            return try await writer.write(on: database(), actor: .system) { tx, _ in
                guard let id = try await Self.nextDueID(on: tx, at: claimedAt),
                      let delivery = try await Delivery.find(id, on: tx), delivery.state == .pending else { return nil }
                delivery.state = .sending
                delivery.claimedBy = workerID
                delivery.claimedAt = claimedAt
                delivery.attempts += 1
                try await delivery.save(on: tx)
                return delivery
            }
        } catch {
            logger.error("outbox.claim_failed", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    /// The oldest due delivery; on PostgreSQL rows another worker holds are skipped, not waited for.
    private static func nextDueID(on database: Database, at instant: Date) async throws -> UUID? {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            struct Row: Decodable { let id: UUID }
            return try await sql.raw("""
                SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= \(bind: instant)
                ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """).first(decoding: Row.self)?.id
        }
        return try await Delivery.query(on: database)
            .filter(\.$state == .pending)
            .filter(\.$nextAttemptAt <= instant)
            .sort(\.$nextAttemptAt).sort(\.$createdAt)
            .first()?.id
    }

    private func send(_ delivery: Delivery) async {
        let outcome: MailError?
        do {
            try await configuration.transport.send(raw: delivery.message, from: delivery.fromEmail, recipients: [delivery.toEmail])
            outcome = nil
        } catch let error as MailError {
            outcome = error
        } catch {
            outcome = MailError(code: "smtp_unknown", message: "Error inesperado al enviar: \(error)", isPermanent: false)
        }
        let finishedAt = now()
        let retry = configuration.retry
        do {
            try await writer.write(on: database(), actor: .system) { tx, _ in
                guard let row = try await Delivery.find(delivery.id, on: tx) else { return }
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
            if let outcome {
                logger.warning("outbox.send_failed", metadata: ["delivery": "\(delivery.id!)", "code": "\(outcome.code)", "permanent": "\(outcome.isPermanent)"])
            } else {
                logger.info("outbox.sent", metadata: ["delivery": "\(delivery.id!)", "kind": "\(delivery.kind)"])
            }
        } catch {
            // The mail may have left while its state could not be recorded: it stays `sending` and is
            // reported as interrupted later rather than risk sending it twice.
            logger.error("outbox.record_failed", metadata: ["delivery": "\(delivery.id!)", "error": "\(String(reflecting: error))"])
        }
    }

    private func markAbandonedClaims() async {
        let cutoff = now().addingTimeInterval(-configuration.claimLease)
        do {
            try await writer.write(on: database(), actor: .system) { tx, _ in
                try await Delivery.query(on: tx)
                    .filter(\.$state == .sending)
                    .filter(\.$claimedAt < cutoff)
                    .set(\.$state, to: .interrupted)
                    .set(\.$lastError, to: "El servidor se detuvo mientras enviaba este correo; puede o no haber salido. Revísalo y reenvíalo si hace falta.")
                    .update()
            }
        } catch {
            logger.error("outbox.recovery_failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
