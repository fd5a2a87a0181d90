import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import Logging

/// The public way in for survey answers. Abuse checks run in memory; accepted answers are written in
/// groups (one transaction for every answer waiting at that moment) and each person is answered only
/// once their answer is committed: many answers per second on SQLite, none acknowledged and lost.
package final class SurveyIntake: @unchecked Sendable {
    package struct OpenSurvey: Sendable {
        package var id: UUID
        package var exerciseID: UUID
        package var status: SurveyStatus
        package var definition: SurveyDefinition

        package init(id: UUID, exerciseID: UUID, status: SurveyStatus, definition: SurveyDefinition) {
            self.id = id
            self.exerciseID = exerciseID
            self.status = status
            self.definition = definition
        }
    }

    private let state = NSLock()
    private var submissionGuard: SubmissionGuard
    private var surveys: [UUID: (survey: OpenSurvey, readAt: Date)] = [:]
    private var pending: [Pending] = []
    private var flushing = false
    private var flushTask: Task<Void, Never>?
    private var failures = 0
    private let logger = Logger(label: "cocrea.survey")
    private let database: @Sendable () -> Database
    private let writer: Writer

    /// How long a survey's definition and status are reused before being read again: a survey closed on
    /// another server stops taking answers within this time.
    package static let surveyLifetime: TimeInterval = 2
    package static let batchLimit = 400

    package init(rateLimit: Int, database: @escaping @Sendable () -> Database, writer: Writer) {
        submissionGuard = SubmissionGuard(perMinute: rateLimit)
        self.database = database
        self.writer = writer
    }

    package func survey(_ id: UUID, now: Date) async throws -> OpenSurvey? {
        if let cached = state.withLock({ surveys[id] }), now.timeIntervalSince(cached.readAt) < Self.surveyLifetime {
            return cached.survey
        }
        guard let survey = try await Survey.find(id, on: database()) else { return nil }
        let open = try OpenSurvey(survey)
        state.withLock { surveys[id] = (open, now) }
        return open
    }

    /// Called after the institution changed a survey, so this process stops using its old state at once.
    package func forget(_ id: UUID) {
        state.withLock { _ = surveys.removeValue(forKey: id) }
    }

    package func admit(client: String, survey: UUID, answers: [String: AnswerValue], kiosk: Bool, at now: Date) -> SubmissionGuard.Verdict {
        var clientKey = Hasher()
        clientKey.combine(client)
        var fingerprint = Hasher()
        fingerprint.combine(client)
        fingerprint.combine(survey)
        fingerprint.combine(JSON.canonical(answers))
        let (clientHash, answersHash) = (clientKey.finalize(), fingerprint.finalize())
        return state.withLock { submissionGuard.admit(client: clientHash, fingerprint: answersHash, kiosk: kiosk, at: now) }
    }

    /// A citizen proposal draws on the same per-client budget as survey answers, and the same text
    /// sent again by the same client within the window is a repetition (on a kiosk, only a double tap).
    package func admit(client: String, proposal exerciseID: UUID, _ fields: [String], kiosk: Bool = false, at now: Date) -> SubmissionGuard.Verdict {
        var clientKey = Hasher()
        clientKey.combine(client)
        var fingerprint = Hasher()
        fingerprint.combine(client)
        fingerprint.combine(exerciseID)
        fingerprint.combine(fields)
        let (clientHash, proposalHash) = (clientKey.finalize(), fingerprint.finalize())
        return state.withLock { submissionGuard.admit(client: clientHash, fingerprint: proposalHash, kiosk: kiosk, at: now) }
    }

    private struct Pending {
        package var response: SurveyResponse
        package var continuation: CheckedContinuation<Void, any Error>
        /// The request's deadline: an answer whose request was already told it failed is not kept.
        package var deadline: RequestDeadline?
    }

    /// Returns once the answer is committed.
    package func store(_ response: SurveyResponse) async throws {
        let deadline = RequestDeadline.current
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock {
                pending.append(Pending(response: response, continuation: continuation, deadline: deadline))
                defer { flushing = true }
                return !flushing
            }
            if start {
                // The group is written for every request in it, not under the deadline of the first one.
                let task = RequestDeadline.$current.withValue(nil) { Task { await self.drain() } }
                state.withLock { flushTask = task }
            }
        }
    }

    /// Waits for the answers being written, at most `bound` seconds, so that the database is not
    /// closed under an acknowledged answer.
    package func stop(within bound: TimeInterval = BackgroundLoop.stopBound) async {
        guard let task = state.withLock({ flushTask }) else { return }
        if await !BackgroundLoop.wait(for: task, atMost: bound) {
            logger.warning("survey_intake.stop_timed_out", metadata: ["seconds": "\(bound)"])
        }
    }

    private func drain() async {
        while true {
            let batch: [Pending] = state.withLock {
                let batch = Array(pending.prefix(Self.batchLimit))
                pending.removeFirst(batch.count)
                if batch.isEmpty { flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let db = database()
            do {
                let responses = batch.map(\.response)
                let deadlines = batch.map(\.deadline)
                let kept = try await writer.serialized {
                    try await db.transactionEndingWithConnection { tx in
                        try await responses.create(on: tx)
                        // Answers whose request passed its deadline during the write are taken out again.
                        let kept = deadlines.map { $0?.mayCommit() ?? true }
                        let dropped = zip(responses, kept).filter { !$0.1 }.compactMap { $0.0.id }
                        if !dropped.isEmpty { try await SurveyResponse.query(on: tx).filter(\.$id ~~ dropped).delete() }
                        try await Writer.raiseStoredGeneration(on: tx)
                        return kept
                    }
                }
                for (entry, wasKept) in zip(batch, kept) {
                    if wasKept { entry.continuation.resume() } else { entry.continuation.resume(throwing: CocreaError.databaseUnavailable) }
                }
                failures = 0
            } catch {
                // Those people are told their answer was not kept; the next group waits a little, so
                // a database that is away is not hammered by every answer that arrives.
                for entry in batch { entry.continuation.resume(throwing: error) }
                failures += 1
                let wait = BackgroundLoop.Backoff(first: 0.1, maximum: 2).delay(afterFailures: failures)
                logger.error(
                    "survey_intake.write_failed",
                    metadata: [
                        "error": "\(String(reflecting: error))", "answers": "\(batch.count)", "retry_in_seconds": "\(wait)",
                    ])
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            }
        }
    }
}

extension SurveyIntake.OpenSurvey {
    package init(_ survey: Survey) throws {
        id = try survey.requireID()
        exerciseID = survey.$exercise.id
        status = SurveyStatus(rawValue: survey.status) ?? .draft
        definition = try survey.definition
    }
}

extension Survey {
    package var definition: SurveyDefinition {
        get throws {
            SurveyDefinition(
                title: title, description: description,
                questions: try JSONDecoder().decode([SurveyQuestion].self, from: Data(questionsJSON.utf8)))
        }
    }

    package var surveyStatus: SurveyStatus { SurveyStatus(rawValue: status) ?? .draft }
}
