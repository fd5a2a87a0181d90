import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The co-creation record (issue 20, point 5): what the OGP Participation and Co-Creation Standards ask
/// a member to show and the IRM checks — the roadmap as announced and each change to it, the public
/// repository, who took part by sector at each table, what the consultation received and how each
/// proposal was answered, every plan version with what changed and the conformity by sector, the
/// signatures, and where each commitment came from. One set of queries gives the facts; the document
/// (PDF, DOCX) and the open-data figures are both read from them, so they cannot disagree.
///
/// It is as public as the exercise's public page: anyone once the exercise is published (it is the
/// process's public record), only its members and administrators while a draft. It names STL members
/// (as the public page does) and counts everyone else by sector; a proposer is a number, never an email,
/// and a hidden proposal shows only its public reason.
package enum CoCreationRecordOperations {
    package struct Facts: Sendable {
        package var exercise: ExerciseSnapshot
        package var roadmap: [Step]
        package var documents: [PublicDocument]
        package var roundtables: [Table]
        package var surveyAnswers: Int
        package var informationRequests: Int
        package var proposals: [PublicProposalDTO]
        package var versions: [Version]
        package var signatures: [SealManifest.Signer]
        package var traces: [Trace]
    }

    package struct ExerciseSnapshot: Sendable {
        package var id: UUID
        package var name: String
        package var territory: String
        package var zone: TimeZone
        package var publishedAt: Date?
        package var sectorLabels: [Language: [Sector: String]]
    }

    /// A roadmap event with every announcement of it, oldest first, and when it actually took place.
    package struct Step: Sendable {
        package var kind: RoadmapEventKind
        package var announcements: [Announcement]
        package var withdrawnAt: Date?
        package var heldAt: Date?
    }

    package struct Announcement: Sendable {
        package var title: String
        package var startsOn: String
        package var endsOn: String
        package var place: String
        package var announcedAt: Date
    }

    package struct PublicDocument: Sendable {
        package var id: UUID
        package var kind: DossierItemKind
        package var title: String
        package var source: String
        package var createdAt: Date?
        package var hasFile: Bool
    }

    package struct Table: Sendable {
        package var id: UUID
        package var startsAt: Date
        package var place: String
        package var stage: RoundtableStage
        package var cancelled: Bool
        /// Closed tables only: presence × sector.
        package var attendance: [Presence: [Sector: Int]]?
        /// Stage and the time it began, in order.
        package var stages: [(stage: RoundtableStage, at: Date)]
        package var interventions: [Intervened]
    }

    package struct Intervened: Sendable {
        package var at: Date?
        package var sector: Sector?
        package var kind: InterventionKind
        package var item: String?
        package var text: String
    }

    package struct Version: Sendable {
        package var id: UUID
        package var number: Int
        package var frozenAt: Date
        package var sha256: String
        package var sealedAt: Date?
        package var added: [String]
        package var removed: [String]
        package var changed: [String]
        /// Each member's latest statement, stance × sector.
        package var conformity: [Stance: [Sector: Int]]
    }

    /// A commitment of the latest version and where it came from, as its public page tells it.
    package struct Trace: Sendable {
        package var id: UUID?
        package var title: String
        package var origin: CommitmentOriginDTO?
    }

    package static func facts(of exercise: Exercise, on db: any Database) async throws -> Facts {
        let exerciseID = try exercise.requireID()
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).all()
        let sectorOf = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.sector) })

        let tables = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$startsAt).all()
        let tableIDs = tables.map { $0.id! }
        let attendance = tableIDs.isEmpty ? [] : try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ tableIDs).all()
        let interventions =
            tableIDs.isEmpty ? [] : try await Intervention.query(on: db).filter(\.$roundtable.$id ~~ tableIDs).sort(\.$createdAt).all()
        let stageEvents =
            tableIDs.isEmpty
            ? []
            : try await RoundtableEvent.query(on: db).filter(\.$roundtable.$id ~~ tableIDs).filter(\.$kind == "stage").sort(\.$sequence).all()
        let items = try await DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$createdAt).all()
        let itemTitles = Dictionary(uniqueKeysWithValues: items.map { ($0.id!, $0.title) })

        let events = try await PublicationOperations.allEvents(of: exerciseID, on: db)
        let versions = try await PlanVersion.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$number).all()
        let versionIDs = versions.map { $0.id! }
        let statements =
            versionIDs.isEmpty ? [] : try await Conformity.query(on: db).filter(\.$planVersion.$id ~~ versionIDs).sort(\.$statedAt).all()
        let sealed = versions.last { $0.sealedAt != nil }
        let surveyAnswers = try await SurveyResponse.query(on: db).join(Survey.self, on: \SurveyResponse.$survey.$id == \Survey.$id)
            .filter(Survey.self, \.$exercise.$id == exerciseID).count()
        let informationRequests = try await InformationRequest.query(on: db).filter(\.$exercise.$id == exerciseID).count()
        let proposals = try await ProposalOperations.publicList(of: exerciseID, on: db)

        let closedTables = tables.filter { $0.stage == .closed && $0.cancelledAt == nil }
        let zone = exercise.zone
        let steps = events.map { event in
            Step(
                kind: event.kind,
                announcements: event.announcements.filter { !$0.withdrawn }.sorted { $0.announcedAt < $1.announcedAt }.map {
                    Announcement(title: $0.title, startsOn: $0.startsOn, endsOn: $0.endsOn, place: $0.place, announcedAt: $0.announcedAt)
                },
                withdrawnAt: event.withdrawnAt,
                heldAt: held(event, tables: closedTables, sealed: sealed, in: zone))
        }

        let signatures = if let sealed { try await SigningOperations.signers(of: sealed, on: db) } else { [SealManifest.Signer]() }
        let contents = try versions.map { try PlanVersionOperations.content(of: $0).commitments }
        let origins = try await CommitmentOrigins.origins(of: contents.last ?? [], in: exerciseID, for: .everyone, on: db)
        return Facts(
            exercise: ExerciseSnapshot(
                id: exerciseID, name: exercise.name, territory: exercise.territory, zone: zone, publishedAt: exercise.publishedAt,
                sectorLabels: Dictionary(
                    uniqueKeysWithValues: Language.allCases.map { language in
                        (language, Dictionary(uniqueKeysWithValues: Sector.allCases.map { ($0, exercise.label(for: $0, language: language)) }))
                    })),
            roadmap: steps,
            documents: items.filter { $0.visibility == .public }.map {
                PublicDocument(id: $0.id!, kind: $0.kind, title: $0.title, source: $0.source, createdAt: $0.createdAt, hasFile: $0.$file.id != nil)
            },
            roundtables: tables.map { table in
                let present = attendance.filter { $0.$roundtable.id == table.id }
                return Table(
                    id: table.id!, startsAt: table.startsAt, place: table.place, stage: table.stage, cancelled: table.cancelledAt != nil,
                    attendance: table.stage != .closed
                        ? nil
                        : Dictionary(
                            uniqueKeysWithValues: Presence.allCases.map { presence in
                                (presence, count(present.filter { $0.presence == presence }.compactMap { sectorOf[$0.$member.id] }))
                            }),
                    stages: stageEvents.filter { $0.$roundtable.id == table.id }.compactMap { event in
                        guard let payload = try? JSONDecoder().decode(LiveEvent.self, from: Data(event.payload.utf8)), let stage = payload.stage
                        else { return nil }
                        return (stage, event.occurredAt)
                    },
                    // The minutes as the public reads them: attributed to a sector, as attendance is counted.
                    interventions: table.stage != .closed
                        ? []
                        : interventions.filter { $0.$roundtable.id == table.id }.map {
                            Intervened(
                                at: $0.createdAt, sector: sectorOf[$0.$member.id], kind: $0.kind,
                                item: $0.$dossierItem.id.flatMap { itemTitles[$0] }, text: $0.text)
                        })
            },
            surveyAnswers: surveyAnswers, informationRequests: informationRequests, proposals: proposals,
            versions: versions.enumerated().map { index, version in
                var latest: [UUID: Conformity] = [:]
                for statement in statements where statement.$planVersion.id == version.id { latest[statement.$member.id] = statement }
                let change = changes(from: index == 0 ? [] : contents[index - 1], to: contents[index])
                return Version(
                    id: version.id!, number: version.number, frozenAt: version.frozenAt, sha256: version.sha256, sealedAt: version.sealedAt,
                    added: change.added, removed: change.removed, changed: change.changed,
                    conformity: Dictionary(
                        uniqueKeysWithValues: Stance.allCases.map { stance in
                            (stance, count(latest.values.filter { $0.stance == stance }.compactMap { sectorOf[$0.$member.id] }))
                        }))
            },
            signatures: signatures,
            traces: (contents.last ?? []).map { commitment in
                Trace(id: commitment.id, title: commitment.title, origin: commitment.id.flatMap { origins[$0] })
            })
    }

    /// When a step took place, where the record knows it: a table held within the announced dates, the seal.
    private static func held(_ event: RoadmapEvent, tables: [Roundtable], sealed: PlanVersion?, in zone: TimeZone) -> Date? {
        switch event.kind {
        case .roundtable:
            guard let starts = LocalDate(event.startsOn), let ends = LocalDate(event.endsOn) else { return nil }
            return tables.first { table in LocalDate(date: table.startsAt, in: zone).map { starts <= $0 && $0 <= ends } ?? false }?.startsAt
        case .signature:
            return sealed?.sealedAt
        case .kickoff, .consultation, .progressCut:
            return nil
        }
    }

    private static func count(_ sectors: [Sector]) -> [Sector: Int] {
        Dictionary(uniqueKeysWithValues: Sector.allCases.map { sector in (sector, sectors.filter { $0 == sector }.count) })
    }

    /// The commitments a version added, removed and changed against the one before, by title.
    private static func changes(from previous: [CommitmentDTO], to current: [CommitmentDTO]) -> (added: [String], removed: [String], changed: [String]) {
        let before = Dictionary(previous.compactMap { c in c.id.map { ($0, c) } }, uniquingKeysWith: { first, _ in first })
        let after = Set(current.compactMap(\.id))
        return (
            current.filter { $0.id.map { before[$0] == nil } ?? true }.map(\.title),
            previous.filter { $0.id.map { !after.contains($0) } ?? true }.map(\.title),
            current.compactMap { commitment in
                guard let id = commitment.id, let old = before[id], JSON.canonical(old) != JSON.canonical(commitment) else { return nil }
                return commitment.title
            }
        )
    }
}

extension CoCreationRecordOperations {
    /// The record's figures as open-data rows (`OpenDataset.cocreationFigures`): counts only.
    package static func figures(of facts: Facts) -> [[String]] {
        func row(
            _ figure: CoCreationFigure, _ category: String = "", sector: Sector? = nil, table: UUID? = nil, version: Int? = nil, count: Int
        )
            -> [String]
        {
            [figure.rawValue, category, sector?.rawValue ?? "", table?.uuidString.lowercased() ?? "", version.map(String.init) ?? "", "\(count)"]
        }
        let published = facts.proposals.filter { $0.status == .published }
        var rows = [
            row(.surveyAnswers, count: facts.surveyAnswers), row(.informationRequests, count: facts.informationRequests),
            row(.publicDocuments, count: facts.documents.count),
        ]
        rows += ProposalStatus.allCases.map { status in row(.proposals, status.rawValue, count: facts.proposals.filter { $0.status == status }.count) }
        rows += ProposalOutcome.allCases.map { outcome in
            row(.responses, outcome.rawValue, count: published.filter { $0.response?.outcome == outcome }.count)
        }
        rows.append(row(.responses, "pending", count: published.filter { $0.response == nil }.count))
        for table in facts.roundtables {
            guard let attendance = table.attendance else { continue }
            for presence in Presence.allCases {
                rows += Sector.allCases.map { row(.attendance, presence.rawValue, sector: $0, table: table.id, count: attendance[presence]?[$0] ?? 0) }
            }
        }
        for version in facts.versions {
            for stance in Stance.allCases {
                rows += Sector.allCases.map {
                    row(.conformity, stance.rawValue, sector: $0, version: version.number, count: version.conformity[stance]?[$0] ?? 0)
                }
            }
        }
        rows += Sector.allCases.map { sector in row(.signatures, sector: sector, count: facts.signatures.filter { $0.sector == sector }.count) }
        let changes = facts.roadmap.map { max($0.announcements.count - 1, 0) + ($0.withdrawnAt == nil ? 0 : 1) }.reduce(0, +)
        rows.append(row(.roadmapChanges, count: changes))
        return rows
    }
}
