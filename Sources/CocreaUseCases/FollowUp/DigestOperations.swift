import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

/// The weekly digest of overdue and upcoming activities (CocreaCore's `ProgressDigest`), queued in the
/// outbox once per person and ISO week.
package enum DigestOperations {
    /// The zone that decides which week it is for the whole instance.
    package static let instanceZone = TimeZone(identifier: "America/Mexico_City")!

    package struct Outcome: Sendable, Equatable {
        package var week: String
        /// People whose digest was queued now.
        package var queued: Int
        /// People who already had this week's digest.
        package var alreadySent: Int

        package init(week: String, queued: Int, alreadySent: Int) {
            self.week = week
            self.queued = queued
            self.alreadySent = alreadySent
        }
    }

    package static func sendWeekly(on ctx: UseCaseContext, at now: Date) async throws -> Outcome {
        let week = ProgressDigest.week(of: LocalDate(date: now, in: instanceZone)!)
        let digests = ProgressDigest.digests(for: try await followUps(on: ctx.db, at: now))
        var outcome = Outcome(week: week, queued: 0, alreadySent: 0)
        // Read first: the hourly check writes nothing (and takes no write turn) once the week's digests are out.
        let sent = Set(try await DigestSend.query(on: ctx.db).filter(\.$week == week).all().map(\.email))
        for digest in digests {
            let email = digest.recipient.email.lowercased()
            guard !sent.contains(email) else {
                outcome.alreadySent += 1
                continue
            }
            let message = Messages.weeklyDigest(digest, baseURL: ctx.baseURL, from: ctx.mailFrom)
            do {
                let queued = try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
                    guard try await DigestSend.query(on: tx).filter(\.$email == email).filter(\.$week == week).first() == nil else { return false }
                    try await DigestSend(email: email, week: week, queuedAt: now).create(on: tx)
                    _ = try await Outbox.enqueue(message, kind: "weeklyDigest", exerciseID: nil, on: tx, now: now)
                    return true
                }
                if queued { outcome.queued += 1 } else { outcome.alreadySent += 1 }
            } catch {
                // Another process queued the same digest between our check and our insert (unique key).
                guard try await DigestSend.query(on: ctx.db).filter(\.$email == email).filter(\.$week == week).first() != nil else { throw error }
                outcome.alreadySent += 1
            }
        }
        return outcome
    }

    /// Every exercise whose plan is sealed, with its members, its activities and the reports waiting for verification.
    private static func followUps(on db: Database, at now: Date) async throws -> [ProgressDigest.Exercise] {
        let sealed = Set(try await PlanVersion.query(on: db).filter(\.$sealedAt != nil).all().map { $0.$exercise.id })
        guard !sealed.isEmpty else { return [] }
        let exercises = try await Exercise.query(on: db).filter(\.$id ~~ sealed).all()
        let members = Dictionary(grouping: try await Member.query(on: db).filter(\.$exercise.$id ~~ sealed).all(), by: { $0.$exercise.id })
        let commitments = Dictionary(
            grouping: try await Commitment.query(on: db).filter(\.$exercise.$id ~~ sealed).with(\.$activities).all(),
            by: { $0.$exercise.id })
        let pending = Dictionary(grouping: try await ProgressVerificationOperations.pending(in: Array(sealed), at: now, on: db), by: \.exerciseID)
        return exercises.map { exercise in
            let people = members[exercise.id!] ?? []
            func person(_ member: Member) -> ProgressDigest.Person { .init(name: member.name, email: member.email) }
            return ProgressDigest.Exercise(
                id: exercise.id!, name: exercise.name, today: LocalDate(date: now, in: exercise.zone)!,
                members: people.map(person), facilitators: people.filter { $0.role != .member }.map(person),
                activities: (commitments[exercise.id!] ?? []).flatMap { commitment in
                    commitment.activities.compactMap { activity in
                        LocalDate(activity.dueOn).map {
                            ProgressDigest.Activity(
                                commitment: commitment.title, title: activity.title, responsible: activity.responsible, dueOn: $0,
                                status: ActivityStatus(rawValue: activity.status) ?? .notStarted, progress: activity.progress)
                        }
                    }
                },
                verifiers: people.filter { $0.sector == .civilSociety }.map(person),
                awaitingVerification: (pending[exercise.id!] ?? []).map {
                    ProgressDigest.PendingReport(
                        updateID: $0.updateID, commitment: $0.commitment, activity: $0.activity, reportedBy: $0.reportedBy,
                        reportedOn: LocalDate(date: $0.reportedAt, in: exercise.zone)!, progress: $0.progress, state: $0.state)
                })
        }
    }

    /// Whether the weekly digest is due: from Monday 08:00 (Mexico City) to Wednesday; later in the
    /// week it waits for the next Monday rather than send one digest days before the next.
    package static func isDigestDue(at now: Date) -> Bool {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = DigestOperations.instanceZone
        let parts = calendar.dateComponents([.weekday, .hour], from: now)
        switch parts.weekday {
        case 2: return parts.hour! >= 8  // Monday
        case 3, 4: return true  // Tuesday, Wednesday
        default: return false
        }
    }
}
