import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

extension CoCreationRecordOperations {
    /// The record of an exercise, in `language`. Who may read it is the public page's rule
    /// (`PublicExerciseOperations.visibleExercise`), which the caller checks first.
    package static func document(of exercise: Exercise, language: Language, on ctx: UseCaseContext) async throws -> CoCreationRecord {
        document(of: try await facts(of: exercise, on: ctx.db), language: language, baseURL: ctx.baseURL, at: ctx.now)
    }

    /// The facts as the document writes them, in one language.
    package static func document(of facts: Facts, language: Language, baseURL: String, at now: Date) -> CoCreationRecord {
        let words = language.words
        let zone = facts.exercise.zone
        let sectors = facts.exercise.sectorLabels[language] ?? [:]
        let exerciseURL = "\(baseURL)/public/exercises/\(facts.exercise.id.uuidString.lowercased())"
        func day(_ instant: Date) -> String {
            LocalDate(date: instant, in: zone).map(MexicanFormat.numeric) ?? ""
        }
        func dates(_ startsOn: String, _ endsOn: String) -> String {
            let start = LocalDate(startsOn).map(MexicanFormat.numeric) ?? startsOn
            let end = LocalDate(endsOn).map(MexicanFormat.numeric) ?? endsOn
            return start == end ? start : "\(start) – \(end)"
        }
        func counts<Row: Hashable & Labelled>(_ rows: [Row], _ table: [Row: [Sector: Int]]) -> CoCreationRecord.Counts {
            CoCreationRecord.Counts(
                rows: rows.map { row in
                    let bySector = Sector.allCases.map { table[row]?[$0] ?? 0 }
                    return [words.label(row)] + bySector.map(String.init) + ["\(bySector.reduce(0, +))"]
                })
        }

        let steps = facts.roadmap.map { step in
            let current = step.announcements.last
            let first = step.announcements.first
            var changes = step.announcements.dropLast().reversed().map {
                words["recordEarlierAnnouncement", ["dates": dates($0.startsOn, $0.endsOn), "place": $0.place, "announced": day($0.announcedAt)]]
            }
            if let withdrawn = step.withdrawnAt { changes.insert(words["recordWithdrawn", ["date": day(withdrawn)]], at: 0) }
            return CoCreationRecord.Step(
                title: current?.title ?? "", kind: words.label(step.kind), dates: current.map { dates($0.startsOn, $0.endsOn) } ?? "",
                place: current?.place ?? "", firstAnnounced: first.map { day($0.announcedAt) } ?? "", changes: changes,
                held: step.heldAt.map(day) ?? "—")
        }

        let proposals = facts.proposals
        let statusCount = { (status: ProposalStatus) in proposals.filter { $0.status == status }.count }
        let published = proposals.filter { $0.status == .published }
        let consultation = [
            CoCreationRecord.Figure(label: words["recordSurveyAnswers"], value: "\(facts.surveyAnswers)"),
            .init(label: words["recordInformationRequests"], value: "\(facts.informationRequests)"),
            .init(label: words["recordProposalsReceived"], value: "\(proposals.count)"),
            .init(label: words["recordProposalsPublished"], value: "\(statusCount(.published))"),
            .init(label: words["recordProposalsHidden"], value: "\(statusCount(.hidden))"),
            .init(label: words["recordProposalsAwaitingModeration"], value: "\(statusCount(.received))"),
            .init(label: words["recordProposalsAwaitingResponse"], value: "\(published.filter { $0.response == nil }.count)"),
        ]
        let numbers = Dictionary(uniqueKeysWithValues: proposals.map { ($0.id, $0.number) })

        let signatures = facts.signatures.map {
            [$0.name, sectors[$0.sector] ?? words.label($0.sector), $0.organization, day($0.signedAt), words.table["recordMethod_\($0.method)"] ?? $0.method]
        }
        let sealed = facts.versions.last { $0.sealedAt != nil }

        return CoCreationRecord(
            title: words["recordDocumentTitle", ["exercise": facts.exercise.name]], exerciseName: facts.exercise.name,
            territory: facts.exercise.territory,
            summary: [
                facts.exercise.publishedAt.map { words["recordPublishedOn", ["date": words.dateTime($0, in: zone)]] } ?? words["recordDraft"],
                words["recordGeneratedOn", ["date": words.dateTime(now, in: zone)]],
                words["recordPublicPage", ["url": exerciseURL]],
            ],
            sectorColumns: Sector.allCases.map { sectors[$0] ?? words.label($0) } + [words["recordTotal"]],
            roadmap: steps,
            documents: facts.documents.map {
                [
                    $0.title, words.label($0.kind), $0.source, $0.createdAt.map(day) ?? "",
                    $0.hasFile ? "\(exerciseURL)/documents/\($0.id.uuidString.lowercased())" : exerciseURL,
                ]
            },
            roundtables: facts.roundtables.map { table in
                CoCreationRecord.Roundtable(
                    heading: words["recordRoundtableHeading", ["date": words.dateTime(table.startsAt, in: zone), "place": table.place]],
                    state: table.cancelled ? words["recordCancelled"] : words.label(table.stage),
                    attendance: table.attendance.map { counts(Presence.allCases, $0) },
                    stages: table.stages.isEmpty
                        ? ""
                        : words["recordStages"] + ": "
                            + table.stages.map { "\(words.label($0.stage)) \(MexicanFormat.numeric($0.at, in: zone).suffix(5))" }
                            .joined(separator: " · "),
                    interventions: table.interventions.map {
                        [
                            $0.at.map { String(MexicanFormat.numeric($0, in: zone).suffix(5)) } ?? "", $0.sector.map { sectors[$0] ?? words.label($0) } ?? "",
                            words.label($0.kind), $0.item ?? "—", $0.text,
                        ]
                    })
            },
            consultation: consultation,
            outcomes: ProposalOutcome.allCases.map { outcome in
                .init(label: words["proposalOutcome_\(outcome.rawValue)"], value: "\(published.filter { $0.response?.outcome == outcome }.count)")
            },
            hidden: proposals.filter { $0.status == .hidden }.map { ["\($0.number)", $0.moderationReason ?? ""] },
            responses: published.compactMap { proposal in
                guard let response = proposal.response else { return nil }
                var reach = response.commitmentIds.compactMap { id in facts.traces.first { $0.id == id }?.title }
                if let merged = response.mergedInto, let number = numbers[merged] { reach.append(words["recordMergedInto", ["number": "\(number)"]]) }
                return [
                    "\(proposal.number)", ProposalRules.summary(proposal.problem ?? ""), words["proposalOutcome_\(response.outcome.rawValue)"],
                    response.reason, reach.joined(separator: "\n"),
                ]
            },
            versions: facts.versions.map { version in
                var changes =
                    version.number == 1 && version.removed.isEmpty
                    ? [words["recordFirstVersion", ["count": "\(version.added.count)"]]]
                    : version.added.map { words["recordAdded", ["title": $0]] } + version.removed.map { words["recordRemoved", ["title": $0]] }
                        + version.changed.map { words["recordChanged", ["title": $0]] }
                if changes.isEmpty { changes = [words["recordNoChanges"]] }
                var heading = words[
                    "recordVersionHeading",
                    ["number": "\(version.number)", "date": words.dateTime(version.frozenAt, in: zone), "sha": String(version.sha256.prefix(12))]]
                if let sealedAt = version.sealedAt { heading += " · " + words["recordSealedOn", ["date": day(sealedAt)]] }
                return CoCreationRecord.Version(heading: heading, changes: changes, conformity: counts(Stance.allCases, version.conformity))
            },
            signatures: signatures,
            sealed: sealed.map { words["recordSealed", ["date": words.dateTime($0.sealedAt!, in: zone), "number": "\($0.number)"]] }
                ?? words["recordNotSealed"],
            traces: facts.traces.map { trace in
                let origin = trace.origin.map { $0.lines(words, in: zone) } ?? []
                return [trace.title, origin.isEmpty ? words["originNone"] : origin.joined(separator: "\n")]
            })
    }
}
