import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

package struct ProgressReportInput: Codable, Sendable {
    package struct Rating: Codable, Sendable {
        package var commitmentId: String?
        package var rating: String?
        package var reason: String?

        package init(commitmentId: String? = nil, rating: String? = nil, reason: String? = nil) {
            self.commitmentId = commitmentId
            self.rating = rating
            self.reason = reason
        }
    }

    /// interim or final.
    package var kind: String?
    /// Final reports: the STL's «¿abrió el gobierno?» rating of every commitment, with its reason.
    package var ratings: [Rating]?
    /// Final reports.
    package var lessonsLearned: String?

    package init(kind: String? = nil, ratings: [Rating]? = nil, lessonsLearned: String? = nil) {
        self.kind = kind
        self.ratings = ratings
        self.lessonsLearned = lessonsLearned
    }
}

/// An issued progress report: its frozen content, the SHA-256 of that content and of the sealed PDF,
/// and where anyone downloads and checks it.
package struct ProgressReportDTO: Codable, Sendable {
    package var id: UUID
    package var exerciseId: UUID
    package var kind: ProgressReportKind
    package var number: Int
    package var issuedAt: Date
    package var issuedBy: String
    /// The plan's progress when it was issued.
    package var progress: Int
    /// SHA-256 of the report's canonical JSON (`report`).
    package var sha256: String
    /// SHA-256 of the sealed PDF, by which `/verify` finds it.
    package var pdfSha256: String
    package var pdf: String
    package var report: PlanProgressReport

    package init(_ record: ProgressReportRecord, report: PlanProgressReport) {
        id = record.id!
        exerciseId = record.$exercise.id
        kind = record.kind
        number = record.number
        issuedAt = record.issuedAt
        issuedBy = record.issuedBy
        progress = report.progress
        sha256 = record.snapshotSHA256
        pdfSha256 = record.pdfSHA256
        pdf = ProgressReportOperations.pdfPath(of: record.id!)
        self.report = report
    }
}

/// What a sealed progress report embeds (covered by its signature), so a verifier with no database can
/// say which report of which exercise it is.
package struct ProgressReportManifest: Codable, Sendable {
    package var progressReportId: UUID
    package var exercise: String
    package var kind: ProgressReportKind
    package var number: Int
    package var issuedAt: Date
    package var planVersionId: UUID
    package var reportSha256: String

    package init(
        progressReportId: UUID, exercise: String, kind: ProgressReportKind, number: Int, issuedAt: Date, planVersionId: UUID, reportSha256: String
    ) {
        self.progressReportId = progressReportId
        self.exercise = exercise
        self.kind = kind
        self.number = number
        self.issuedAt = issuedAt
        self.planVersionId = planVersionId
        self.reportSha256 = reportSha256
    }
}

/// What the progress-reports pages show of an exercise.
package struct ProgressReportsOverview: Sendable {
    package var exerciseName: String
    package var zone: TimeZone
    package var sealed: Bool
    /// Oldest first.
    package var reports: [ProgressReportDTO]
    /// The sealed plan's commitments in their agreed order: what a final report rates.
    package var commitments: [(id: UUID, title: String)]
}

/// Seguimiento: at each cut of the roadmap the facilitation issues a progress report. It freezes every
/// commitment's completion on the IRM scale (`PlanProgressReport`), renders it as a PDF sealed with the
/// instance's key as the PAL is, publishes it and queues it by mail to every member of the exercise, all
/// in one transaction. The final report adds the STL's «¿abrió el gobierno?» ratings and the lessons
/// learned, and closes the series.
package enum ProgressReportOperations {
    package static func pdfPath(of id: UUID) -> String {
        "/api/v1/progress-reports/\(id.uuidString.lowercased()).pdf"
    }

    /// Where anyone checks a copy of the report: the verification page, by the PDF's SHA-256.
    package static func verificationURL(pdfSHA256: String, baseURL: String) -> String {
        "\(baseURL)/verify?sha256=\(pdfSHA256)"
    }

    package static func issue(
        _ input: ProgressReportInput, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> (
        report: ProgressReportDTO, recipients: Int
    ) {
        let now = ctx.now
        let exercise = context.exercise
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let version = try await PlanVersionOperations.latestSealed(of: context.exerciseID, on: tx) else {
                throw CocreaError.notSealedToReport
            }
            let earlier = try await ProgressReportRecord.query(on: tx).filter(\.$exercise.$id == context.exerciseID).all()
            guard !earlier.contains(where: { $0.kind == .final }) else { throw CocreaError.progressReportsClosed }
            let progress = try await ProgressOperations.publicProgress(of: context.exerciseID, at: now, on: tx)
            let checked = try ProgressReportRequest.check(
                kind: input.kind,
                ratings: (input.ratings ?? []).map { .init(commitmentId: $0.commitmentId, rating: $0.rating, reason: $0.reason) },
                lessonsLearned: input.lessonsLearned, commitments: progress.commitments.map { ($0.id, $0.title) })
            let leads = Dictionary(
                try PlanVersionOperations.content(of: version).commitments.compactMap { commitment in commitment.id.map { ($0, commitment.leadInstitution) } },
                uniquingKeysWith: { first, _ in first })
            let snapshot = PlanProgressReport(
                kind: checked.kind, number: (earlier.map(\.number).max() ?? 0) + 1, exerciseId: context.exerciseID, exercise: exercise.name,
                territory: exercise.territory, planVersionId: try version.requireID(), planVersionNumber: version.number, planSha256: version.sha256,
                issuedAt: now, issuedBy: context.byline,
                commitments: progress.commitments.map { commitment in
                    PlanProgressReport.Commitment(
                        id: commitment.id, title: commitment.title, leadInstitution: leads[commitment.id] ?? "",
                        activities: commitment.activities.map { activity(of: $0, baseURL: ctx.baseURL) }, openedGovernment: checked.ratings[commitment.id])
                },
                lessonsLearned: checked.lessonsLearned)
            let content = JSON.canonical(snapshot)
            let sha256 = Hashing.sha256Hex(content)
            let record = ProgressReportRecord()
            record.id = UUID()
            let manifest = ProgressReportManifest(
                progressReportId: record.id!, exercise: exercise.name, kind: snapshot.kind, number: snapshot.number, issuedAt: now,
                planVersionId: snapshot.planVersionId, reportSha256: sha256)
            let pdf = try PDFSeal.apply(
                to: ProgressReportPDF.render(snapshot, sha256: sha256, zone: exercise.zone), identity: ctx.identity,
                manifest: Data(JSON.canonical(manifest).utf8), signingTime: now, signerName: ctx.identity.commonName,
                reason: "Informe de avance \(snapshot.number) de «\(exercise.name)»")
            let pdfSHA256 = Hashing.sha256Hex(pdf)
            let file = StoredFile(name: "informe-de-avance-\(snapshot.number).pdf", mediaType: "application/pdf", data: pdf, sha256: pdfSHA256)
            try await file.create(on: tx)
            record.$exercise.id = context.exerciseID
            record.$planVersion.id = snapshot.planVersionId
            record.number = snapshot.number
            record.kind = snapshot.kind
            record.snapshot = content
            record.snapshotSHA256 = sha256
            record.$file.id = try file.requireID()
            record.pdfSHA256 = pdfSHA256
            record.issuedAt = now
            record.issuedBy = snapshot.issuedBy
            try await record.create(on: tx)

            let members = try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
            let link = verificationURL(pdfSHA256: pdfSHA256, baseURL: ctx.baseURL)
            for member in members {
                let message = Messages.progressReport(
                    member: member, exercise: exercise, number: snapshot.number, kind: snapshot.kind, verificationLink: link, pdf: pdf,
                    fileName: file.name, from: ctx.mailFrom)
                _ = try await Outbox.enqueue(message, kind: "progressReport", exerciseID: context.exerciseID, on: tx, now: now)
            }
            try await audit.record(
                "issue", entity: "progressReport", id: record.id, exercise: context.exerciseID, before: Optional<String>.none,
                after: [
                    "kind": snapshot.kind.rawValue, "number": "\(snapshot.number)", "sha256": sha256, "pdfSha256": pdfSHA256,
                    "recipients": members.map(\.name).joined(separator: ", "),
                ], at: now)
            return (ProgressReportDTO(record, report: snapshot), members.count)
        }
    }

    /// An exercise's reports, oldest first: public once its plan is sealed, as its follow-up is.
    package static func list(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [ProgressReportDTO] {
        guard try await PlanVersionOperations.latestSealed(of: exerciseID, on: ctx.db) != nil else { throw CocreaError.notPublic }
        return try await ProgressReportRecord.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).sort(\.$number).all().map(dto)
    }

    /// An exercise's reports and, once its plan is sealed, the commitments the next report covers.
    package static func overview(of exerciseID: UUID, at now: Date, on ctx: UseCaseContext) async throws -> ProgressReportsOverview {
        guard let exercise = try await Exercise.find(exerciseID, on: ctx.db) else { throw CocreaError.notFound(.exercise) }
        guard try await PlanVersionOperations.latestSealed(of: exerciseID, on: ctx.db) != nil else {
            return ProgressReportsOverview(exerciseName: exercise.name, zone: exercise.zone, sealed: false, reports: [], commitments: [])
        }
        let commitments = try await ProgressOperations.publicProgress(of: exerciseID, at: now, on: ctx.db).commitments
        return ProgressReportsOverview(
            exerciseName: exercise.name, zone: exercise.zone, sealed: true, reports: try await list(of: exerciseID, on: ctx),
            commitments: commitments.map { ($0.id, $0.title) })
    }

    /// The sealed PDF of a report, as it was issued; anyone may download it.
    package static func pdf(_ id: UUID?, on ctx: UseCaseContext) async throws -> Download {
        guard let id, let record = try await ProgressReportRecord.find(id, on: ctx.db),
            let file = try await StoredFile.find(record.$file.id, on: ctx.db)
        else {
            throw CocreaError.notFound(.progressReport)
        }
        return Download(file.data, name: file.name, type: file.mediaType)
    }

    /// The report whose sealed PDF has this SHA-256, if any.
    package static func sealed(sha256: String, on db: Database) async throws -> ProgressReportDTO? {
        try await ProgressReportRecord.query(on: db).filter(\.$pdfSHA256 == sha256).first().map(dto)
    }

    private static func dto(_ record: ProgressReportRecord) throws -> ProgressReportDTO {
        ProgressReportDTO(record, report: try JSONDecoder.iso8601.decode(PlanProgressReport.self, from: Data(record.snapshot.utf8)))
    }

    /// One activity of the public follow-up as the report freezes it: its latest report, its evidence
    /// (addresses made absolute, for a PDF read anywhere) and who verified it.
    private static func activity(of activity: PublicActivityDTO, baseURL: String) -> PlanProgressReport.Activity {
        let latest = activity.history.last.map { update in
            let verified = update.verificationHistory.last { $0.step == .verified }
            return PlanProgressReport.LatestReport(
                status: update.status, progress: update.progress, note: update.note, reportedBy: update.reportedBy, reportedAt: update.reportedAt,
                evidenceUrl: update.evidenceUrl,
                evidenceFile: update.evidenceFile.map { .init(name: $0.name, sha256: $0.sha256, url: baseURL + $0.url) },
                verification: update.verification,
                verifiedBy: update.verification == .verified ? verified.map { "\($0.name) (\($0.organization))" } : nil,
                verifiedAt: update.verification == .verified ? verified?.at : nil)
        }
        return PlanProgressReport.Activity(
            id: activity.id, title: activity.title, responsible: activity.responsible, dueOn: activity.dueOn, weight: activity.weight, latest: latest)
    }
}
