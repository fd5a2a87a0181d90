import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import SQLKit

package struct ProgressInput: Codable, Sendable {
    package var status: String?
    package var progress: Int?
    package var note: String?
    package var evidenceUrl: String?

    package init(status: String? = nil, progress: Int? = nil, note: String? = nil, evidenceUrl: String? = nil) {
        self.status = status
        self.progress = progress
        self.note = note
        self.evidenceUrl = evidenceUrl
    }
}

/// Evidence uploaded with a report; anyone downloads it from `url` once the plan is public.
package struct EvidenceFileDTO: Codable, Sendable {
    package var name: String
    package var mediaType: String
    package var size: Int
    package var sha256: String
    package var url: String

    package init(_ file: StoredFile, update: ActivityUpdate, exerciseID: UUID) {
        name = file.name
        mediaType = file.mediaType
        size = file.size
        sha256 = file.sha256
        url = ProgressOperations.evidencePath(exerciseID: exerciseID, updateID: update.id!)
    }
}

package struct ActivityUpdateDTO: Codable, Sendable {
    package var id: UUID
    package var status: ActivityStatus
    package var progress: Int
    package var note: String
    package var evidenceUrl: String?
    package var evidenceFile: EvidenceFileDTO?
    package var reportedBy: String
    package var reportedAt: Date
    /// «reportado» until civil society verifies it; observed and answered on the way.
    package var verification: VerificationState
    /// Every verdict and answer, oldest first.
    package var verificationHistory: [VerificationEntryDTO]

    package init(_ update: ActivityUpdate, evidenceFile: EvidenceFileDTO? = nil, verifications: [VerificationEntry] = []) {
        id = update.id!
        status = ActivityStatus(rawValue: update.status) ?? .notStarted
        progress = update.progress
        note = update.note
        evidenceUrl = update.evidenceURL
        self.evidenceFile = evidenceFile
        reportedBy = update.reportedBy
        reportedAt = update.reportedAt
        verification = .of(verifications.map(\.step))
        verificationHistory = verifications.map(VerificationEntryDTO.init)
    }
}

package struct PublicActivityDTO: Codable, Sendable {
    package var id: UUID
    package var title: String
    package var responsible: String
    package var responsibleInstitution: String
    package var dueOn: String
    package var status: ActivityStatus
    package var progress: Int
    /// How much of the commitment this activity is (1 each: a plain average).
    package var weight: Int
    package var history: [ActivityUpdateDTO]

    package init(
        id: UUID, title: String, responsible: String, responsibleInstitution: String, dueOn: String, status: ActivityStatus, progress: Int, weight: Int,
        history: [ActivityUpdateDTO]
    ) {
        self.id = id
        self.title = title
        self.responsible = responsible
        self.responsibleInstitution = responsibleInstitution
        self.dueOn = dueOn
        self.status = status
        self.progress = progress
        self.weight = weight
        self.history = history
    }
}

package struct PublicCommitmentDTO: Codable, Sendable {
    package var id: UUID
    package var title: String
    package var category: CommitmentCategory
    package var objective: String
    package var progress: Int
    package var completion: Completion
    package var activities: [PublicActivityDTO]

    package init(
        id: UUID, title: String, category: CommitmentCategory, objective: String, progress: Int, completion: Completion, activities: [PublicActivityDTO]
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.objective = objective
        self.progress = progress
        self.completion = completion
        self.activities = activities
    }
}

package struct PublicProgressDTO: Codable, Sendable {
    package var exerciseId: UUID
    package var name: String
    package var territory: String
    package var planVersionId: UUID
    package var sealedAt: Date
    package var progress: Int
    package var commitments: [PublicCommitmentDTO]
    /// The plan's progress at the end of each month since it was sealed.
    package var timeline: [ProgressTimeline.Point]

    package init(
        exerciseId: UUID, name: String, territory: String, planVersionId: UUID, sealedAt: Date, progress: Int, commitments: [PublicCommitmentDTO],
        timeline: [ProgressTimeline.Point]
    ) {
        self.exerciseId = exerciseId
        self.name = name
        self.territory = territory
        self.planVersionId = planVersionId
        self.sealedAt = sealedAt
        self.progress = progress
        self.commitments = commitments
        self.timeline = timeline
    }
}

/// Seguimiento: responsible people report each activity's status, progress and evidence; every
/// report is kept as public history; commitments roll up (CocreaCore's `ProgressRollup`).
package enum ProgressOperations {
    package static func report(
        _ input: ProgressInput, evidence upload: ExerciseOperations.Upload? = nil, on activityID: UUID,
        in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> ActivityUpdateDTO {
        var v = CocreaCore.Validator()
        let report = ProgressReport.validate(status: input.status, progress: input.progress, note: input.note, evidenceURL: input.evidenceUrl, into: &v)
        try v.check()
        guard let report else { throw CocreaError.validation(v.errors) }
        let accepted = try upload.map { try UploadPolicy.check(filename: $0.filename, bytes: $0.bytes) }
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let activity = try await Activity.query(on: tx).filter(\.$id == activityID).with(\.$commitment).first(),
                activity.commitment.$exercise.id == context.exerciseID
            else {
                throw CocreaError.notFound(.activity)
            }
            var file: StoredFile?
            if let upload, let accepted {
                let data = Data(upload.bytes)
                file = StoredFile(name: accepted.filename, mediaType: accepted.mediaType, data: data, sha256: Hashing.sha256Hex(data))
                try await file!.create(on: tx)
            }
            let update = try await record(
                activity, status: report.status, progress: report.progress, note: report.note, evidence: report.evidenceURL,
                file: file?.id, by: context, at: now, on: tx)
            let dto = ActivityUpdateDTO(update, evidenceFile: file.map { EvidenceFileDTO($0, update: update, exerciseID: context.exerciseID) })
            try await audit.created("activityUpdate", id: update.id, exercise: context.exerciseID, dto)
            return dto
        }
    }

    package static func evidencePath(exerciseID: UUID, updateID: UUID) -> String {
        "/public/exercises/\(exerciseID.uuidString.lowercased())/evidence/\(updateID.uuidString.lowercased())"
    }

    /// An evidence file, for anyone once the exercise's plan is public.
    package static func evidenceFile(_ updateID: UUID, of exerciseID: UUID, on ctx: UseCaseContext) async throws -> StoredFile {
        let db = ctx.db
        guard try await PlanVersionOperations.latestSealed(of: exerciseID, on: db) != nil,
            let update = try await ActivityUpdate.query(on: db).filter(\.$id == updateID).with(\.$activity, { $0.with(\.$commitment) }).first(),
            update.activity.commitment.$exercise.id == exerciseID, let fileID = update.$evidenceFile.id,
            let file = try await StoredFile.find(fileID, on: db)
        else {
            throw CocreaError.notFound(.evidence)
        }
        return file
    }

    /// The `activities` CSV brought back with new progress: every row applied, or none.
    package static func importProgress(csv: String, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> Int {
        let rows = try ProgressImport.parse(csv: csv)
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let activities = try await Activity.query(on: tx).filter(\.$id ~~ rows.map(\.activityID)).with(\.$commitment).all()
                .filter { $0.commitment.$exercise.id == context.exerciseID }
            let known = Dictionary(uniqueKeysWithValues: activities.map { ($0.id!, $0) })
            let unknown = rows.filter { known[$0.activityID] == nil }
            guard unknown.isEmpty else {
                throw CocreaError.progressRowsForeign(unknown.map { (line: $0.line, activity: "\($0.activityID)") })
            }
            for row in rows {
                _ = try await record(
                    known[row.activityID]!, status: row.status, progress: row.progress, note: row.note, evidence: row.evidenceURL,
                    file: nil, by: context, at: now, on: tx)
            }
            try await audit.record(
                "importProgress", entity: "exercise", id: context.exerciseID, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["rows": rows.count], at: now)
            return rows.count
        }
    }

    private static func record(
        _ activity: Activity, status: ActivityStatus, progress: Int, note: String, evidence: String?,
        file: UUID?, by reporter: ExerciseContext, at now: Date, on tx: Database
    ) async throws -> ActivityUpdate {
        activity.status = status.rawValue
        activity.progress = progress
        activity.revision += 1
        try await activity.save(on: tx)
        let update = ActivityUpdate()
        update.$activity.id = try activity.requireID()
        update.status = status.rawValue
        update.progress = progress
        update.note = note
        update.evidenceURL = evidence
        update.$evidenceFile.id = file
        update.reportedBy = reporter.byline
        update.reporterUserID = reporter.user.id
        update.reportedAt = now
        try await update.create(on: tx)
        return update
    }

    /// The public follow-up of an exercise, once its plan is sealed (before that it is private work).
    /// The public index's figures for one page of exercises, in three queries whatever the page holds:
    /// each exercise's latest sealed version and the overall progress `publicProgress` gives it.
    package static func indexProgress(of exerciseIDs: [UUID], on db: Database) async throws -> [UUID: (sealedAt: Date, progress: Int)] {
        guard !exerciseIDs.isEmpty else { return [:] }
        let versions = try await PlanVersion.query(on: db).filter(\.$exercise.$id ~~ exerciseIDs).filter(\.$sealedAt != nil).all()
        let latest = Dictionary(grouping: versions, by: { $0.$exercise.id }).compactMapValues { $0.max { $0.number < $1.number } }
        let plans = try latest.mapValues { try PlanVersionOperations.content(of: $0).commitments }
        let activityIDs = plans.values.flatMap { $0.flatMap { $0.activities.compactMap(\.id) } }
        let lastReport = try await latestReports(of: activityIDs, on: db)
        return latest.compactMapValues { version in
            guard let sealedAt = version.sealedAt, let commitments = plans[version.$exercise.id] else { return nil }
            let progress = commitments.map { commitment in
                ProgressRollup.progress(
                    of: commitment.activities.map { activity in
                        let report = activity.id.flatMap { lastReport[$0] }
                        let verified = report.map { VerificationState.of($0.steps) == .verified } ?? false
                        return ProgressRollup.Activity(
                            progress: ProgressRollup.counted(progress: report?.progress ?? 0, verified: verified), reported: report != nil,
                            weight: activity.weight ?? 1)
                    })
            }
            return (sealedAt, progress.isEmpty ? 0 : progress.reduce(0, +) / progress.count)
        }
    }

    /// Each activity's latest report with its verification steps, in one query however many reports
    /// there are: the public index reads this for every exercise on its page. Two reports at the same
    /// instant are told apart by id, the order `publicProgress` lists a history in, so the latest is one
    /// report wherever it is asked for.
    private static func latestReports(
        of activityIDs: [UUID], on db: Database
    ) async throws -> [UUID: (id: UUID, status: ActivityStatus, progress: Int, steps: [VerificationStep])] {
        guard !activityIDs.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        struct Latest: Decodable {
            var id: UUID
            var activityID: UUID
            var status: String
            var progress: Int
            var step: String?
            enum CodingKeys: String, CodingKey {
                case activityID = "activity_id"
                case id, status, progress, step
            }
        }
        let rows = try await sql.raw(
            """
            SELECT latest.id, latest.activity_id, latest.status, latest.progress, steps.step FROM (
                SELECT id, activity_id, status, progress,
                       ROW_NUMBER() OVER (PARTITION BY activity_id ORDER BY reported_at DESC, id DESC) AS position
                FROM activity_updates WHERE activity_id IN (\(binds: activityIDs))
            ) AS latest LEFT JOIN verification_entries steps ON steps.activity_update_id = latest.id
            WHERE latest.position = 1 ORDER BY steps.position
            """
        ).all(decoding: Latest.self)
        var reports: [UUID: (id: UUID, status: ActivityStatus, progress: Int, steps: [VerificationStep])] = [:]
        for row in rows {
            if reports[row.activityID] == nil { reports[row.activityID] = (row.id, ActivityStatus(rawValue: row.status) ?? .notStarted, row.progress, []) }
            if let step = row.step.flatMap(VerificationStep.init(rawValue:)) { reports[row.activityID]!.steps.append(step) }
        }
        return reports
    }

    package static func publicProgress(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> PublicProgressDTO {
        try await publicProgress(of: exerciseID, at: ctx.now, on: ctx.db)
    }

    package static func publicProgress(of exerciseID: UUID, at now: Date, on db: Database) async throws -> PublicProgressDTO {
        guard let exercise = try await Exercise.find(exerciseID, on: db), let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db)
        else {
            throw CocreaError.notPublic
        }
        // What was sealed, in its agreed order, not the live plan: a commitment added, edited or deleted
        // since reaches the public only through a new sealed version.
        return try await publicProgress(
            of: exercise, sealed: version, agreed: try PlanVersionOperations.content(of: version).commitments, at: now, on: db)
    }

    /// The public follow-up of the exercise's latest sealed version and its commitments as agreed, read
    /// by the caller. Progress is what was reported on the sealed activities.
    package static func publicProgress(
        of exercise: Exercise, sealed version: PlanVersion, agreed commitments: [CommitmentDTO], at now: Date, on db: Database
    ) async throws -> PublicProgressDTO {
        let exerciseID = try exercise.requireID()
        guard let sealedAt = version.sealedAt else { throw CocreaError.notPublic }
        let activityIDs = commitments.flatMap { $0.activities.compactMap(\.id) }
        // Each report joined with its verification steps, one row per step (one for a report without any).
        let reported =
            activityIDs.isEmpty
            ? []
            : try await ActivityUpdate.query(on: db).filter(\.$activity.$id ~~ activityIDs)
                .join(VerificationEntry.self, on: \ActivityUpdate.$id == \VerificationEntry.$update.$id, method: .left)
                .sort(\.$reportedAt).sort(\.$id).sort(VerificationEntry.self, \.$position).all()
        var updates: [ActivityUpdate] = []
        var verifications: [UUID: [VerificationEntry]] = [:]
        for row in reported {
            if updates.last?.id != row.id { updates.append(row) }
            if let step = try? row.joined(VerificationEntry.self), step.id != nil { verifications[row.id!, default: []].append(step) }
        }
        // Ordered by time then id, so each history's last report is the latest `latestReports` would give.
        let history = Dictionary(grouping: updates, by: { $0.$activity.id })
        // The files' description only: their bytes stay in the database until someone downloads them.
        let fileIDs = updates.compactMap { $0.$evidenceFile.id }
        let files =
            fileIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await StoredFile.query(on: db).filter(\.$id ~~ fileIDs)
                    .field(\.$id).field(\.$name).field(\.$mediaType).field(\.$size).field(\.$sha256).all().map { ($0.id!, $0) })
        func dto(_ update: ActivityUpdate) -> ActivityUpdateDTO {
            ActivityUpdateDTO(
                update, evidenceFile: update.$evidenceFile.id.flatMap { files[$0] }.map { EvidenceFileDTO($0, update: update, exerciseID: exerciseID) },
                verifications: verifications[update.id!] ?? [])
        }
        let rows = commitments.map { commitment in
            let activities = commitment.activities.map { activity in
                let reports = history[activity.id!] ?? []
                return PublicActivityDTO(
                    id: activity.id!, title: activity.title, responsible: activity.responsible,
                    responsibleInstitution: activity.responsibleInstitution, dueOn: activity.dueOn,
                    status: reports.last.flatMap { ActivityStatus(rawValue: $0.status) } ?? .notStarted,
                    progress: reports.last?.progress ?? 0, weight: activity.weight ?? 1, history: reports.map(dto))
            }
            let rollup = activities.map {
                ProgressRollup.Activity(
                    progress: ProgressRollup.counted(progress: $0.progress, verified: $0.history.last?.verification == .verified),
                    reported: !$0.history.isEmpty, weight: $0.weight)
            }
            return PublicCommitmentDTO(
                id: commitment.id!, title: commitment.title, category: commitment.category, objective: commitment.objective,
                progress: ProgressRollup.progress(of: rollup), completion: ProgressRollup.completion(of: rollup), activities: activities)
        }
        let overall = rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.progress } / rows.count
        let timeline = ProgressTimeline.monthly(
            commitments: rows.map { $0.activities.map { ProgressTimeline.Activity(id: $0.id, weight: $0.weight) } },
            reports: updates.map {
                let verified = VerificationState.of((verifications[$0.id!] ?? []).map(\.step)) == .verified
                return ProgressTimeline.Report(
                    activity: $0.$activity.id, at: $0.reportedAt, progress: ProgressRollup.counted(progress: $0.progress, verified: verified))
            },
            from: sealedAt, to: now, in: exercise.zone)
        return PublicProgressDTO(
            exerciseId: exerciseID, name: exercise.name, territory: exercise.territory, planVersionId: try version.requireID(),
            sealedAt: sealedAt, progress: overall, commitments: rows, timeline: timeline)
    }
}
