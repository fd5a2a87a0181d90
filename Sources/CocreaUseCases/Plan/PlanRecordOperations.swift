import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The record a plan version is written from (issue 18, point 3): the PAL's integration process,
/// participants, measurement table and annexes.
///
/// It says what was true when the version was frozen, so the PDF signed today and the one sealed next
/// week say the same. The tables are those closed (not cancelled) by then: their minutes, fixed when
/// they closed, are whole — stage times, interventions and attendance, each member listed with their
/// presence or none recorded. The dossier's sends and items, the surveys and their answers, the
/// information requests imported, their topics, the proposals received and the answers given count up
/// to then; the roadmap's consultation windows are read as announced now, less those withdrawn before.
/// The participants are the STL's members by then (members are never removed), so one added later
/// changes neither the participants nor a table's attendance. Thirteen queries, whatever the number of
/// tables, commitments or proposals.
package enum PlanRecordOperations {
    package static func record(
        of exercise: Exercise, commitments: [CommitmentDTO], asOf frozenAt: Date, on db: any Database
    ) async throws -> PlanRecord {
        let exerciseID = try exercise.requireID()
        let zone = exercise.zone
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$createdAt <= frozenAt)
            .sort(\.$createdAt).all()
        let people = Dictionary(
            uniqueKeysWithValues: members.map { ($0.id!, PlanRecord.Person(name: $0.name, sector: $0.sector, organization: $0.organization)) })

        let closed = try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$cancelledAt == nil)
            .filter(\.$stage == .closed).filter(\.$startsAt <= frozenAt).sort(\.$startsAt).all()
        let stageEvents =
            closed.isEmpty
            ? []
            : try await RoundtableEvent.query(on: db).filter(\.$roundtable.$id ~~ closed.map { $0.id! }).filter(\.$kind == "stage")
                .filter(\.$occurredAt <= frozenAt).sort(\.$sequence).all()
                .compactMap { event -> (table: UUID, stage: RoundtableStage, at: Date)? in
                    guard let payload = try? JSONDecoder().decode(LiveEvent.self, from: Data(event.payload.utf8)), let stage = payload.stage
                    else { return nil }
                    return (event.$roundtable.id, stage, event.occurredAt)
                }
        let closedByThen = Set(stageEvents.filter { $0.stage == .closed }.map(\.table))
        let tables = closed.filter { closedByThen.contains($0.id!) }
        let tableIDs = tables.map { $0.id! }
        let attendance = tableIDs.isEmpty ? [] : try await Attendance.query(on: db).filter(\.$roundtable.$id ~~ tableIDs).all()
        let interventions =
            tableIDs.isEmpty ? [] : try await Intervention.query(on: db).filter(\.$roundtable.$id ~~ tableIDs).sort(\.$createdAt).all()

        let items = try await DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID).all()
        let itemTitles = Dictionary(uniqueKeysWithValues: items.map { ($0.id!, $0.title) })
        let sends = try await DossierDistribution.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$sentAt <= frozenAt)
            .sort(\.$sentAt).all()
        let windows = try await RoadmapEvent.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$kind == .consultation)
            .sort(\.$startsOn).all()
            .filter { event in event.withdrawnAt.map { $0 > frozenAt } ?? true }
        let surveys = try await Survey.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$publishedAt <= frozenAt).count()
        let surveyAnswers = try await SurveyResponse.query(on: db).join(Survey.self, on: \SurveyResponse.$survey.$id == \Survey.$id)
            .filter(Survey.self, \.$exercise.$id == exerciseID).filter(\.$receivedAt <= frozenAt).count()
        let requests = try await InformationRequest.query(on: db).join(RequestImport.self, on: \InformationRequest.$requestImport.$id == \RequestImport.$id)
            .filter(\.$exercise.$id == exerciseID).filter(RequestImport.self, \.$appliedAt <= frozenAt).count()
        let topics = try await RequestTopic.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$detectedAt <= frozenAt)
            .sort(\.$position).all()
        let proposals = try await Proposal.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$receivedAt <= frozenAt)
            .field(\.$outcome).field(\.$respondedAt).all()

        var outcomes: [ProposalOutcome: Int] = [:]
        for proposal in proposals {
            guard let outcome = proposal.outcome, let answered = proposal.respondedAt, answered <= frozenAt else { continue }
            outcomes[outcome, default: 0] += 1
        }
        var kinds: [DossierItemKind: Int] = [:]
        for item in items where (item.createdAt ?? frozenAt) <= frozenAt { kinds[item.kind, default: 0] += 1 }

        return PlanRecord(
            zone: zone, frozenAt: frozenAt, dossierSent: sends.map(\.sentAt),
            consultationWindows: windows.compactMap { event in
                guard let start = LocalDate(event.startsOn), let end = LocalDate(event.endsOn) else { return nil }
                return PlanRecord.Window(startsOn: start, endsOn: end)
            },
            participants: members.compactMap { people[$0.id!] },
            roundtables: tables.map { table in
                let recorded = Dictionary(
                    attendance.filter { $0.$roundtable.id == table.id }.map { ($0.$member.id, $0) }, uniquingKeysWith: { first, _ in first })
                // As its minutes list them when it closed: the members by then, and whoever has a presence recorded.
                let closedAt = stageEvents.last { $0.table == table.id && $0.stage == .closed }?.at ?? frozenAt
                return PlanRecord.Roundtable(
                    startsAt: table.startsAt, place: table.place,
                    stages: stageEvents.filter { $0.table == table.id && $0.stage != .closed }.map { ($0.stage, $0.at) },
                    attendees: members.filter { ($0.createdAt ?? closedAt) <= closedAt || recorded[$0.id!] != nil }.map { member in
                        let record = recorded[member.id!]
                        return PlanRecord.Attendee(person: people[member.id!]!, presence: record?.presence, representedBy: record?.representedBy)
                    },
                    interventions: interventions.filter { $0.$roundtable.id == table.id }.map {
                        PlanRecord.Intervention(
                            at: $0.createdAt, name: people[$0.$member.id]?.name ?? "", kind: $0.kind,
                            item: $0.$dossierItem.id.flatMap { itemTitles[$0] }, text: $0.text)
                    })
            },
            dossierItems: kinds, surveys: surveys, surveyAnswers: surveyAnswers, informationRequests: requests,
            requestTopics: topics.map { PlanRecord.Topic(label: $0.label, requests: $0.size) },
            proposalsReceived: proposals.count, proposalOutcomes: outcomes,
            measurement: commitments.map { commitment in
                PlanRecord.Measure(
                    commitment: commitment.title, indicator: commitment.indicator.name ?? "", baseline: commitment.indicator.baseline ?? "",
                    target: commitment.indicator.target ?? "", meansOfVerification: commitment.indicator.meansOfVerification ?? "",
                    startsOn: LocalDate(commitment.startsOn), endsOn: LocalDate(commitment.endsOn))
            })
    }
}

extension PlanRecordOperations {
    /// The record as it stands now, for the reading view of the plan the table is still agreeing.
    package static func current(of exercise: Exercise, commitments: [CommitmentDTO], on ctx: UseCaseContext) async throws -> PlanRecord {
        try await record(of: exercise, commitments: commitments, asOf: ctx.now, on: ctx.db)
    }
}
