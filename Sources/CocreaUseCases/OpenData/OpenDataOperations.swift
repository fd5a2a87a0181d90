import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// The public datasets of an exercise, as rows in the columns `OpenDataset` declares. An exercise's
/// open data is public from its publication, as its public page is: the roadmap, the tables, the
/// proposals with their responses and the co-creation figures from then on; the plan's datasets once
/// a version is sealed, and without rows before (the public reads no commitment of a plan not yet
/// agreed). A draft's open data is private work.
package enum OpenDataOperations {
    /// Refuses an exercise whose open data is not public (a draft, or none): the gate of every file it publishes.
    @discardableResult
    package static func requirePublic(_ exerciseID: UUID, on ctx: UseCaseContext) async throws -> Exercise {
        guard let exercise = try await PublicationOperations.publiclyVisible(Exercise.query(on: ctx.db).filter(\.$id == exerciseID)).first() else {
            throw CocreaError.notYetPublished
        }
        return exercise
    }

    /// The latest sealed version, its commitments as agreed and their public follow-up.
    private struct SealedPlan {
        var version: PlanVersion
        var agreed: [CommitmentDTO]
        var progress: PublicProgressDTO
    }

    /// The context's `baseURL` makes the evidence files' addresses absolute, so that a downloaded CSV still points to them.
    package static func rows(of dataset: OpenDataset, exercise exerciseID: UUID, on ctx: UseCaseContext) async throws -> [[String]] {
        let (db, baseURL, now) = (ctx.db, ctx.baseURL, ctx.now)
        let exercise = try await requirePublic(exerciseID, on: ctx)
        /// Nil until a version is sealed: the plan's datasets have no rows then.
        func sealedPlan() async throws -> SealedPlan? {
            guard let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db) else { return nil }
            let agreed = try PlanVersionOperations.content(of: version).commitments
            return SealedPlan(
                version: version, agreed: agreed,
                progress: try await ProgressOperations.publicProgress(of: exercise, sealed: version, agreed: agreed, at: now, on: db))
        }
        let instant = ISO8601DateFormatter()
        switch dataset {
        case .commitments:
            guard let plan = try await sealedPlan() else { return [] }
            // The sealed wording of each commitment, as the progress rows are.
            let stored = Dictionary(uniqueKeysWithValues: plan.agreed.map { ($0.id!, $0) })
            return plan.progress.commitments.map { row in
                let commitment = stored[row.id]
                return [
                    row.id.uuidString.lowercased(), row.title, row.category.rawValue, row.objective, commitment?.indicator.name ?? "",
                    commitment?.indicator.baseline ?? "", commitment?.indicator.target ?? "", commitment?.indicator.meansOfVerification ?? "",
                    commitment?.startsOn ?? "", commitment?.endsOn ?? "", commitment?.leadInstitution ?? "", "\(row.progress)", row.completion.rawValue,
                    (commitment?.ogpValues ?? []).map(\.value.rawValue).joined(separator: " "), (commitment?.sdgTargets ?? []).joined(separator: " "),
                    commitment?.genderPerspective ?? "", (commitment?.coResponsible ?? []).joined(separator: "; "), commitment?.assumptions ?? "",
                    commitment?.budget?.amount ?? "", commitment?.budget?.source ?? "",
                ]
            }
        case .activities:
            guard let plan = try await sealedPlan() else { return [] }
            // The sealed wording of each activity's start, deliverable and means of verification.
            let agreed = Dictionary(uniqueKeysWithValues: plan.agreed.flatMap(\.activities).map { ($0.id!, $0) })
            return plan.progress.commitments.flatMap { commitment in
                commitment.activities.map { activity in
                    [
                        activity.id.uuidString.lowercased(), commitment.id.uuidString.lowercased(), activity.title, activity.responsible,
                        activity.responsibleInstitution, activity.dueOn, activity.status.rawValue, "\(activity.progress)",
                        activity.history.last?.note ?? "", activity.history.last?.evidenceUrl ?? "", agreed[activity.id]?.startsOn ?? "",
                        agreed[activity.id]?.deliverable ?? "", agreed[activity.id]?.meansOfVerification ?? "",
                    ]
                }
            }
        case .progressHistory:
            guard let plan = try await sealedPlan() else { return [] }
            return plan.progress.commitments.flatMap { commitment in
                commitment.activities.flatMap { activity in
                    activity.history.map { update in
                        [
                            activity.id.uuidString.lowercased(), instant.string(from: update.reportedAt), update.reportedBy, update.status.rawValue,
                            "\(update.progress)", update.note, update.evidenceUrl ?? "", update.evidenceFile.map { baseURL + $0.url } ?? "",
                            update.evidenceFile?.sha256 ?? "",
                        ]
                    }
                }
            }
        case .progressVerifications:
            guard let plan = try await sealedPlan() else { return [] }
            return plan.progress.commitments.flatMap { commitment in
                commitment.activities.flatMap { activity in
                    activity.history.flatMap { update in
                        update.verificationHistory.indices.map { index in
                            let entry = update.verificationHistory[index]
                            return [
                                activity.id.uuidString.lowercased(), instant.string(from: update.reportedAt), "\(update.progress)", entry.step.rawValue,
                                entry.text, entry.name, entry.sector?.rawValue ?? "", entry.organization, instant.string(from: entry.at),
                                VerificationState.of(update.verificationHistory[...index].map(\.step)).rawValue,
                            ]
                        }
                    }
                }
            }
        case .progressReports:
            guard try await PlanVersionOperations.latestSealed(of: exerciseID, on: db) != nil else { return [] }
            return try await ProgressReportOperations.list(of: exerciseID, on: ctx).flatMap { report in
                report.report.commitments.map { commitment in
                    [
                        report.id.uuidString.lowercased(), "\(report.number)", report.kind.rawValue, instant.string(from: report.issuedAt), report.sha256,
                        baseURL + report.pdf, commitment.id.uuidString.lowercased(), commitment.title, "\(commitment.progress)",
                        commitment.completion.rawValue, commitment.openedGovernment?.rating.rawValue ?? "", commitment.openedGovernment?.reason ?? "",
                    ]
                }
            }
        case .conformity:
            guard let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db) else { return [] }
            let members = Dictionary(uniqueKeysWithValues: try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).all().map { ($0.id!, $0) })
            return try await Conformity.query(on: db).filter(\.$planVersion.$id == version.requireID()).sort(\.$statedAt).all().map {
                [
                    members[$0.$member.id]?.name ?? "", members[$0.$member.id]?.sector.rawValue ?? "", $0.stance.rawValue, $0.reason ?? "",
                    instant.string(from: $0.statedAt),
                ]
            }
        case .signatures:
            guard let version = try await PlanVersionOperations.latestSealed(of: exerciseID, on: db) else { return [] }
            return try await SigningOperations.signers(of: version, on: db).map {
                [$0.name, $0.sector.rawValue, $0.organization, instant.string(from: $0.signedAt), $0.method]
            }
        case .roadmap:
            return try await PublicationOperations.roadmap(of: exerciseID, on: db).map {
                [
                    $0.id.uuidString.lowercased(), $0.kind.rawValue, $0.title, $0.startsOn, $0.endsOn, $0.place,
                    instant.string(from: $0.firstAnnouncedAt), instant.string(from: $0.announcedAt), "\($0.changes.count)",
                ]
            }
        case .roundtables:
            return try await roundtableRows(of: exerciseID, on: db)
        case .proposals:
            // What the public proposals page shows, and nothing else: never the proposer's email.
            return try await ProposalOperations.publicList(of: exerciseID, on: db).map {
                [
                    $0.id.uuidString.lowercased(), "\($0.number)", instant.string(from: $0.receivedAt), $0.status.rawValue, $0.theme ?? "",
                    $0.problem ?? "", $0.solution ?? "", $0.moderationReason ?? "", $0.response?.outcome.rawValue ?? "", $0.response?.reason ?? "",
                    $0.response?.commitmentIds.map { $0.uuidString.lowercased() }.joined(separator: " ") ?? "",
                    $0.response?.mergedInto?.uuidString.lowercased() ?? "", $0.response.map { instant.string(from: $0.respondedAt) } ?? "",
                ]
            }
        case .cocreationFigures:
            return CoCreationRecordOperations.figures(of: try await CoCreationRecordOperations.facts(of: exercise, on: db))
        }
    }

    /// Each table's date, place and stage, and once closed how many of each sector were present, absent
    /// or represented: counts, as the public page shows them, never who.
    private static func roundtableRows(of exerciseID: UUID, on db: Database) async throws -> [[String]] {
        let instant = ISO8601DateFormatter()
        let tables = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$startsAt).all()
        let closedIDs = tables.filter { $0.stage == .closed }.map { $0.id! }
        let attendance = closedIDs.isEmpty ? [] : try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ closedIDs).all()
        let sectorOf = Dictionary(
            uniqueKeysWithValues: try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).all().map { ($0.id!, $0.sector) })
        return tables.map { table in
            let present = attendance.filter { $0.$roundtable.id == table.id }
            let counts = Presence.allCases.flatMap { presence in
                Sector.allCases.map { sector in
                    table.stage != .closed ? "" : "\(present.filter { $0.presence == presence && sectorOf[$0.$member.id] == sector }.count)"
                }
            }
            return [
                table.id!.uuidString.lowercased(), instant.string(from: table.startsAt), table.place, table.stage.rawValue,
                table.cancelledAt == nil ? "false" : "true",
            ] + counts
        }
    }

    /// The exercise as data portals describe it, if its open data is public.
    package static func description(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> OpenDataExercise {
        let exercise = try await requirePublic(exerciseID, on: ctx)
        return try await description(of: exercise, sealed: try await PlanVersionOperations.latestSealed(of: exerciseID, on: ctx.db), on: ctx.db)
    }

    /// Every exercise whose open data is public (published, or with a sealed plan), newest first: what the DCAT catalogue lists.
    package static func catalogue(on ctx: UseCaseContext) async throws -> [OpenDataExercise] {
        let db = ctx.db
        let exercises = try await PublicationOperations.publiclyVisible(Exercise.query(on: db)).all()
        let ids = exercises.compactMap(\.id)
        let versions = ids.isEmpty ? [] : try await PlanVersion.query(on: db).filter(\.$exercise.$id ~~ ids).filter(\.$sealedAt != nil).all()
        let latest = Dictionary(grouping: versions, by: { $0.$exercise.id }).compactMapValues { $0.max { $0.number < $1.number } }
        var described: [OpenDataExercise] = []
        for exercise in exercises {
            described.append(try await description(of: exercise, sealed: latest[exercise.id!], on: db))
        }
        return described.sorted { ($0.issued, $0.id.uuidString) > ($1.issued, $1.id.uuidString) }
    }

    /// Issued when it was published (or, published before publication existed, when its plan was sealed);
    /// modified by the latest thing the datasets show: a sealing, an activity's progress report or a step
    /// of its verification, an issued progress report, a roadmap announcement, a table's change, a
    /// statement of conformity or a proposal's receipt, moderation or response.
    private static func description(of exercise: Exercise, sealed version: PlanVersion?, on db: Database) async throws -> OpenDataExercise {
        let exerciseID = try exercise.requireID()
        let sealedAt = version.map { $0.sealedAt ?? $0.frozenAt }
        // A public exercise has one or the other; its creation stands in for neither only to keep the type total.
        let issued = exercise.publishedAt ?? sealedAt ?? exercise.createdAt ?? Date(timeIntervalSince1970: 0)
        let activityIDs = try version.map { try PlanVersionOperations.content(of: $0).commitments.flatMap { $0.activities.compactMap(\.id) } } ?? []
        let report =
            activityIDs.isEmpty
            ? nil : try await ActivityUpdate.query(on: db).filter(\.$activity.$id ~~ activityIDs).sort(\.$reportedAt, .descending).first()?.reportedAt
        let verification =
            activityIDs.isEmpty
            ? nil
            : try await VerificationEntry.query(on: db).join(ActivityUpdate.self, on: \VerificationEntry.$update.$id == \ActivityUpdate.$id)
                .filter(ActivityUpdate.self, \.$activity.$id ~~ activityIDs).sort(\.$at, .descending).first()?.at
        let issuedReport = try await ProgressReportRecord.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$issuedAt, .descending).first()?
            .issuedAt
        let announcement = try await RoadmapAnnouncement.query(on: db).join(RoadmapEvent.self, on: \RoadmapAnnouncement.$event.$id == \RoadmapEvent.$id)
            .filter(RoadmapEvent.self, \.$exercise.$id == exerciseID).sort(\.$announcedAt, .descending).first()?.announcedAt
        let table = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$updatedAt, .descending).first()?.updatedAt
        var statement: Date?
        if let version {
            statement = try await Conformity.query(on: db).filter(\.$planVersion.$id == version.requireID()).sort(\.$statedAt, .descending).first()?.statedAt
        }
        let proposals = try await Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).all()
            .flatMap { [$0.receivedAt, $0.moderatedAt, $0.respondedAt].compactMap { $0 } }.max()
        let guarantors = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$sector == .guarantor).all()
        return OpenDataExercise(
            id: exerciseID, name: exercise.name, territory: exercise.territory, publishers: Array(Set(guarantors.map(\.organization))).sorted(),
            issued: issued,
            modified: ([issued, sealedAt, report, verification, issuedReport, announcement, table, statement, proposals].compactMap { $0 }).max() ?? issued)
    }
}
