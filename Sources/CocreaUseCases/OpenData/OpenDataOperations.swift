import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// The public datasets of an exercise, as rows in the columns `OpenDataset` declares.
package enum OpenDataOperations {
    /// `baseURL` makes the evidence files' addresses absolute, so that a downloaded CSV still points to them.
    package static func rows(of dataset: OpenDataset, exercise exerciseID: UUID, baseURL: String, at now: Date, on db: Database) async throws -> [[String]] {
        let progress = try await ProgressOperations.publicProgress(of: exerciseID, at: now, on: db)
        let instant = ISO8601DateFormatter()
        switch dataset {
        case .commitments:
            // The sealed wording of each commitment, as the progress rows are.
            guard let version = try await PlanVersion.find(progress.planVersionId, on: db) else { return [] }
            let stored = Dictionary(uniqueKeysWithValues: try PlanVersionOperations.content(of: version).commitments.map { ($0.id!, $0) })
            return progress.commitments.map { row in
                let commitment = stored[row.id]
                return [
                    row.id.uuidString.lowercased(), row.title, row.category.rawValue, row.objective, commitment?.indicator.name ?? "",
                    commitment?.indicator.baseline ?? "", commitment?.indicator.target ?? "", commitment?.indicator.meansOfVerification ?? "",
                    commitment?.startsOn ?? "", commitment?.endsOn ?? "", commitment?.leadInstitution ?? "", "\(row.progress)", row.completion.rawValue,
                ]
            }
        case .activities:
            return progress.commitments.flatMap { commitment in
                commitment.activities.map { activity in
                    [
                        activity.id.uuidString.lowercased(), commitment.id.uuidString.lowercased(), activity.title, activity.responsible,
                        activity.responsibleInstitution, activity.dueOn, activity.status.rawValue, "\(activity.progress)",
                        activity.history.last?.note ?? "", activity.history.last?.evidenceUrl ?? "",
                    ]
                }
            }
        case .progressHistory:
            return progress.commitments.flatMap { commitment in
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
        case .conformity:
            let members = Dictionary(uniqueKeysWithValues: try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).all().map { ($0.id!, $0) })
            return try await Conformity.query(on: db).filter(\.$planVersion.$id == progress.planVersionId).sort(\.$statedAt).all().map {
                [
                    members[$0.$member.id]?.name ?? "", members[$0.$member.id]?.sector.rawValue ?? "", $0.stance.rawValue, $0.reason ?? "",
                    instant.string(from: $0.statedAt),
                ]
            }
        case .signatures:
            guard let version = try await PlanVersion.find(progress.planVersionId, on: db) else { return [] }
            return try await SigningOperations.signers(of: version, on: db).map {
                [$0.name, $0.sector.rawValue, $0.organization, instant.string(from: $0.signedAt), $0.method]
            }
        }
    }
}
