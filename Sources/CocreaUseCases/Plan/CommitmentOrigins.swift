import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation

/// «Origen del compromiso»: where a commitment came from — the citizen proposals whose reasoned
/// response incorporated it, the dossier problem it is linked to (a diagnosis, a consultation finding,
/// recurring information requests), the survey results and information-request topics it answers,
/// what was said at the tables about that problem, and the national plan commitment it is aligned with.
package struct CommitmentOriginDTO: Codable, Sendable, Equatable {
    package struct Proposal: Codable, Sendable, Equatable {
        package var id: UUID
        /// Its public number among the exercise's proposals.
        package var number: Int
        package var problem: String
        package var outcome: ProposalOutcome
        package var reason: String
    }

    package struct DossierItem: Codable, Sendable, Equatable {
        package var kind: DossierItemKind
        /// Absent to the public when the item is «solo STL»: only its kind is told.
        package var id: UUID?
        package var title: String?
    }

    /// A doubt or contribution recorded at a table about that dossier item: its sector, never a name.
    package struct Intervention: Codable, Sendable, Equatable {
        package var kind: InterventionKind
        package var text: String
        package var sector: Sector
        package var roundtableId: UUID
        package var recordedAt: Date?
    }

    package struct NationalCommitment: Codable, Sendable, Equatable {
        package var plan: String
        package var code: String
        package var title: String
    }

    /// A survey result it answers: the survey, its question and, when the finding is one answer, that option.
    package struct ConsultationFinding: Codable, Sendable, Equatable {
        package var surveyId: UUID
        package var survey: String
        package var questionId: String
        package var question: String
        package var option: String?
    }

    /// A recurring topic of the exercise's information requests, by its words.
    package struct RequestTopic: Codable, Sendable, Equatable {
        package var id: UUID
        package var label: String
        package var terms: [String]
        /// How many of the exercise's requests it gathered when it was found.
        package var requests: Int
    }

    package var proposals: [Proposal]
    package var dossierItem: DossierItem?
    package var consultationFindings: [ConsultationFinding]
    package var requestTopics: [RequestTopic]
    package var interventions: [Intervention]
    package var nationalCommitment: NationalCommitment?

    package init(
        proposals: [Proposal] = [], dossierItem: DossierItem? = nil, consultationFindings: [ConsultationFinding] = [], requestTopics: [RequestTopic] = [],
        interventions: [Intervention] = [], nationalCommitment: NationalCommitment? = nil
    ) {
        self.proposals = proposals
        self.dossierItem = dossierItem
        self.consultationFindings = consultationFindings
        self.requestTopics = requestTopics
        self.interventions = interventions
        self.nationalCommitment = nationalCommitment
    }

    /// Nothing is known of where it came from.
    package var isEmpty: Bool {
        proposals.isEmpty && dossierItem == nil && consultationFindings.isEmpty && requestTopics.isEmpty && interventions.isEmpty
            && nationalCommitment == nil
    }

    /// One line per source, as facts that each page and document writes in its reader's language.
    package func lines(in zone: TimeZone) -> [OriginLine] {
        proposals.map { OriginLine.proposal(number: $0.number, outcome: $0.outcome, problem: $0.problem) }
            + (dossierItem.map { [OriginLine.dossier(kind: $0.kind, title: $0.title)] } ?? [])
            + consultationFindings.map { OriginLine.consultation(survey: $0.survey, question: $0.question, option: $0.option) }
            + requestTopics.map { OriginLine.requestTopic(label: $0.label, requests: $0.requests) }
            + interventions.map { said in
                OriginLine.intervention(
                    kind: said.kind, sector: said.sector, on: said.recordedAt.flatMap { LocalDate(date: $0, in: zone) }, text: said.text)
            }
            + (nationalCommitment.map { [OriginLine.national(plan: $0.plan, code: $0.code, title: $0.title)] } ?? [])
    }

    /// The same lines in the language of `words`, as pages print them.
    package func lines(_ words: Words, in zone: TimeZone) -> [String] { lines(in: zone).map { $0.text(words) } }
}

package enum CommitmentOrigins {
    /// The public reads what the exercise's public pages show; its members read everything.
    package enum Audience: Sendable {
        case workspace, everyone
    }

    /// One doubt or contribution said at a table about a dossier item, with its table's stage and its
    /// speaker's sector: what an origin tells of it.
    package struct Said: Sendable {
        package var intervention: Intervention
        package var stage: RoundtableStage
        package var sector: Sector

        package init(intervention: Intervention, stage: RoundtableStage, sector: Sector) {
            self.intervention = intervention
            self.stage = stage
            self.sector = sector
        }
    }

    /// The origins of the commitments of one exercise, live or as a version froze them, in four
    /// queries however many commitments there are; every page, API answer and PDF reads them here.
    package static func origins(
        of commitments: [CommitmentDTO], in exerciseID: UUID, for audience: Audience, on db: any Database
    ) async throws -> [UUID: CommitmentOriginDTO] {
        let ids = commitments.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let proposals = try await CocreaStore.Proposal.query(on: db).filter(\.$exercise.$id == exerciseID)
            .sort(\.$receivedAt).sort(\.$id).all()
        let itemIDs = Array(Set(commitments.compactMap(\.dossierItemId)))
        let (items, said) =
            itemIDs.isEmpty
            ? ([], [])
            : try await itemsAndSaid(CocreaStore.DossierItem.query(on: db).filter(\.$id ~~ itemIDs).filter(\.$exercise.$id == exerciseID), linked: itemIDs)
        let nationalIDs = Array(Set(commitments.compactMap(\.nationalCommitmentId)))
        let national =
            nationalIDs.isEmpty
            ? [:]
            : Dictionary(uniqueKeysWithValues: try await CocreaStore.NationalCommitment.query(on: db).filter(\.$id ~~ nationalIDs).all().map { ($0.id!, $0) })
        return origins(
            of: commitments, proposals: proposals, items: Dictionary(items.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first }), said: said,
            national: national, consultation: try await consultation(of: commitments, in: exerciseID, on: db), for: audience)
    }

    /// The surveys and request topics the commitments link to, by id: none read when none is linked.
    package struct Consultation: Sendable {
        package var surveys: [UUID: Survey] = [:]
        package var topics: [UUID: CocreaStore.RequestTopic] = [:]

        package init(surveys: [UUID: Survey] = [:], topics: [UUID: CocreaStore.RequestTopic] = [:]) {
            self.surveys = surveys
            self.topics = topics
        }
    }

    package static func consultation(of commitments: [CommitmentDTO], in exerciseID: UUID, on db: any Database) async throws -> Consultation {
        let surveyIDs = Array(Set(commitments.flatMap { ($0.consultationFindings ?? []).map(\.surveyId) }))
        let topicIDs = Array(Set(commitments.flatMap { $0.requestTopicIds ?? [] }))
        var read = Consultation()
        if !surveyIDs.isEmpty {
            read.surveys = Dictionary(
                uniqueKeysWithValues: try await Survey.query(on: db).filter(\.$id ~~ surveyIDs).filter(\.$exercise.$id == exerciseID).all().map { ($0.id!, $0) }
            )
        }
        if !topicIDs.isEmpty {
            read.topics = Dictionary(
                uniqueKeysWithValues: try await CocreaStore.RequestTopic.query(on: db).filter(\.$id ~~ topicIDs).filter(\.$exercise.$id == exerciseID).all()
                    .map { ($0.id!, $0) })
        }
        return read
    }

    /// The dossier items `query` finds, in its order, each with what was said at the tables about it
    /// (feedback aside) when it is among `linked`, in the order said: one query, joined.
    package static func itemsAndSaid(
        _ query: QueryBuilder<CocreaStore.DossierItem>, linked: [UUID]
    ) async throws -> ([CocreaStore.DossierItem], [Said]) {
        guard !linked.isEmpty else { return (try await query.all(), []) }
        let rows = try await query.join(
            Intervention.self,
            [
                .field(.path(["dossier_item_id"], schema: Intervention.schema), .equal, .path(["id"], schema: CocreaStore.DossierItem.schema)),
                .value(.path(["kind"], schema: Intervention.schema), .notEqual, .bind(InterventionKind.feedback.rawValue)),
                .value(.path(["id"], schema: CocreaStore.DossierItem.schema), .subset(inverse: false), .array(linked.map { .bind($0) })),
            ], method: .left
        )
        .join(Roundtable.self, on: \Intervention.$roundtable.$id == \Roundtable.$id, method: .left)
        .join(Member.self, on: \Intervention.$member.$id == \Member.$id, method: .left)
        .sort(Intervention.self, \.$createdAt).sort(Intervention.self, \.$id)
        .all()
        var seen: Set<UUID> = []
        var items: [CocreaStore.DossierItem] = []
        var said: [Said] = []
        for row in rows {
            if seen.insert(try row.requireID()).inserted { items.append(row) }
            // A left join that found no intervention leaves its columns empty: no model to read.
            guard let intervention = try? row.joined(Intervention.self), intervention.id != nil, let table = try? row.joined(Roundtable.self),
                let member = try? row.joined(Member.self)
            else { continue }
            said.append(Said(intervention: intervention, stage: table.stage, sector: member.sector))
        }
        return (items, said)
    }

    /// The origins from rows already read: the exercise's proposals in the order received, the linked
    /// dossier items by id, what was said about them in the order said, the national commitments by id,
    /// and the linked surveys and request topics.
    package static func origins(
        of commitments: [CommitmentDTO], proposals: [CocreaStore.Proposal], items: [UUID: CocreaStore.DossierItem], said: [Said],
        national: [UUID: CocreaStore.NationalCommitment], consultation: Consultation, for audience: Audience
    ) -> [UUID: CommitmentOriginDTO] {
        let numbers = Dictionary(uniqueKeysWithValues: proposals.enumerated().map { ($1.id!, $0 + 1) })
        var result: [UUID: CommitmentOriginDTO] = [:]
        for commitment in commitments {
            guard let id = commitment.id else { continue }
            let incorporated = proposals.filter { proposal in
                (proposal.outcome == .incorporated || proposal.outcome == .partiallyIncorporated) && proposal.commitmentIDs.contains(id)
                    && (audience == .workspace || proposal.status == .published)
            }
            let item = commitment.dossierItemId.flatMap { items[$0] }
            let itemIsPublic = item?.visibility == .public
            let interventions = said.filter { said in
                guard said.intervention.$dossierItem.id == item?.id else { return false }
                // The public reads what closed tables' minutes say about public problems.
                return audience == .workspace || (itemIsPublic && said.stage == .closed)
            }
            result[id] = CommitmentOriginDTO(
                proposals: incorporated.map {
                    .init(id: $0.id!, number: numbers[$0.id!] ?? 0, problem: $0.problem, outcome: $0.outcome!, reason: $0.responseReason)
                },
                dossierItem: item.map { item in
                    let shown = audience == .workspace || itemIsPublic
                    return .init(kind: item.kind, id: shown ? item.id : nil, title: shown ? item.title : nil)
                },
                consultationFindings: (commitment.consultationFindings ?? []).compactMap { link in
                    // A linked survey is one the public has seen; a question no longer in it has nothing to say.
                    guard let survey = consultation.surveys[link.surveyId],
                        let question = (try? survey.definition)?.questions.first(where: { $0.id == link.questionId })
                    else { return nil }
                    return .init(surveyId: link.surveyId, survey: survey.title, questionId: question.id, question: question.prompt, option: link.option)
                },
                requestTopics: (commitment.requestTopicIds ?? []).compactMap { consultation.topics[$0] }.map { topic in
                    .init(
                        id: topic.id!, label: topic.label, terms: (try? JSONDecoder().decode([String].self, from: Data(topic.termsJSON.utf8))) ?? [],
                        requests: topic.size)
                },
                interventions: interventions.map { said in
                    .init(
                        kind: said.intervention.kind, text: said.intervention.text, sector: said.sector, roundtableId: said.intervention.$roundtable.id,
                        recordedAt: said.intervention.createdAt)
                },
                nationalCommitment: commitment.nationalCommitmentId.flatMap { national[$0] }.map {
                    .init(plan: $0.plan, code: $0.code, title: $0.title)
                })
        }
        return result
    }

    /// The commitments with their origin, as the workspace's API reads them.
    package static func withOrigins(_ commitments: [CommitmentDTO], in exerciseID: UUID, on db: any Database) async throws -> [CommitmentDTO] {
        let origins = try await origins(of: commitments, in: exerciseID, for: .workspace, on: db)
        return commitments.map { commitment in
            var read = commitment
            read.origin = commitment.id.flatMap { origins[$0] }
            return read
        }
    }
}
