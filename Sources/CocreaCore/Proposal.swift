import Foundation

/// Where a citizen proposal stands: received (waiting for the STL), published, or hidden with a
/// public reason. A hidden proposal is never deleted: it stays listed with that reason.
/// Pages label the cases from the catalogue's `proposalStatus_<case>`.
public enum ProposalStatus: String, Codable, Sendable, CaseIterable {
    case received, published, hidden
}

/// The reasoned response's outcome (OGP co-creation standard 4: saying why input was or was not taken up).
/// Pages label the cases from the catalogue's `proposalOutcome_<case>`.
public enum ProposalOutcome: String, Codable, Sendable, CaseIterable {
    case incorporated, partiallyIncorporated, merged, notIncorporated
}

/// Pages label the cases from the catalogue's `moderationAction_<case>`.
public enum ModerationAction: String, Codable, Sendable, CaseIterable {
    case publish, hide
}

/// The rules of citizen proposals: what a proposal, a moderation and a response must contain, and
/// when proposals are received. Every problem of a form is reported at once, by field.
public enum ProposalRules {
    public static let textLimit = 2000
    public static let themeLimit = 120
    public static let reasonLimit = 2000

    /// A proposal as checked: the email, when given, is only used once its owner confirms it.
    public struct Submission: Sendable, Equatable {
        public var problem: String
        public var solution: String
        public var theme: String
        public var email: String?
    }

    public static func submission(problem: String?, solution: String?, theme: String?, email: String?) throws(CocreaError) -> Submission {
        var v = Validator()
        let problem = v.required(problem, field: "problem", label: "fieldProblem", maxLength: textLimit, lines: .multiple)
        let solution = v.required(solution, field: "solution", label: "fieldSolution", maxLength: textLimit, lines: .multiple)
        let theme = v.optional(theme, field: "theme", label: "fieldTopic", maxLength: themeLimit) ?? ""
        let email = (email ?? "").trimmingWhitespace.isEmpty ? nil : v.email(email)
        try v.check()
        return Submission(problem: problem, solution: solution, theme: theme, email: email)
    }

    public struct Moderation: Sendable, Equatable {
        public var action: ModerationAction
        public var reason: String
    }

    /// Hiding needs a reason the public reads (personal data, insults, off topic); publishing does not.
    public static func moderation(action: String?, reason: String?) throws(CocreaError) -> Moderation {
        var v = Validator()
        let action = choice(action, as: ModerationAction.self, field: "action", label: "fieldModeration", &v)
        let reason = v.optional(reason, field: "reason", label: "fieldReason", maxLength: 500) ?? ""
        if action == .hide && reason.isEmpty {
            v.add(field: "reason", "problemHideReasonMissing")
        }
        try v.check()
        return Moderation(action: action!, reason: reason)
    }

    /// A response as checked here; whether its commitments and the proposal it merges into belong to
    /// the exercise is checked against the store.
    public struct Response: Sendable, Equatable {
        public var outcome: ProposalOutcome
        public var reason: String
        public var commitmentIds: [UUID]
        public var mergedInto: UUID?
    }

    public static func response(
        outcome: String?, reason: String?, commitmentIds: [String]?, mergedInto: String?, proposalID: UUID
    ) throws(CocreaError)
        -> Response
    {
        var v = Validator()
        let outcome = choice(outcome, as: ProposalOutcome.self, field: "outcome", label: "fieldOutcome", &v)
        let reason = v.required(reason, field: "reason", label: "fieldReasonedResponse", maxLength: reasonLimit, lines: .multiple)
        var ids: [UUID] = []
        for (index, raw) in (commitmentIds ?? []).enumerated() {
            if let id = UUID(uuidString: raw.trimmingWhitespace) {
                if !ids.contains(id) { ids.append(id) }
            } else {
                v.add(field: "commitmentIds[\(index)]", "problemCommitmentIdInvalid", ["value": .text(raw)])
            }
        }
        let rawMerged = (mergedInto ?? "").trimmingWhitespace
        let merged = rawMerged.isEmpty ? nil : UUID(uuidString: rawMerged)
        if !rawMerged.isEmpty && merged == nil {
            v.add(field: "mergedInto", "problemProposalIdInvalid", ["value": .text(rawMerged)])
        }
        switch outcome {
        case .incorporated, .partiallyIncorporated:
            if (commitmentIds ?? []).isEmpty {
                v.add(field: "commitmentIds", "problemIncorporatedWhere")
            }
        case .merged:
            if rawMerged.isEmpty {
                v.add(field: "mergedInto", "problemMergedWhich")
            } else if merged == proposalID {
                v.add(field: "mergedInto", "problemMergedIntoItself")
            }
        case .notIncorporated:
            if !(commitmentIds ?? []).isEmpty {
                v.add(field: "commitmentIds", "problemNotIncorporatedLinked")
            }
        case nil:
            break
        }
        if outcome != .merged && !rawMerged.isEmpty {
            v.add(field: "mergedInto", "problemMergedIntoOnlyMerged")
        }
        try v.check()
        return Response(outcome: outcome!, reason: reason, commitmentIds: ids, mergedInto: merged)
    }

    private static func choice<E: RawRepresentable & CaseIterable>(
        _ raw: String?, as type: E.Type, field: String, label: FieldLabel, _ v: inout Validator
    )
        -> E? where E.RawValue == String
    {
        let text = (raw ?? "").trimmingWhitespace
        guard !text.isEmpty else {
            v.add(field: field, "problemMissing", ["label": .field(label)])
            return nil
        }
        guard let value = E(rawValue: text) else {
            v.add(
                field: field, "problemValueInvalid",
                ["value": .text(text), "label": .field(label), "allowed": .text(E.allCases.map(\.rawValue).joined(separator: ", "))])
            return nil
        }
        return value
    }

    /// Whether the exercise receives proposals on `day`: while a consultation window of its roadmap
    /// (both dates inclusive, in the exercise's time zone) is open.
    public enum Window: Sendable, Equatable {
        case open(RoadmapEntry)
        /// None open today; the next one to open, if any, and the last one that closed, if any.
        case closed(next: RoadmapEntry?, last: RoadmapEntry?)
    }

    public static func window(in roadmap: [RoadmapEntry], on day: LocalDate) -> Window {
        let consultations = roadmap.filter { $0.kind == .consultation }.sorted { $0.startsOn < $1.startsOn }
        if let open = consultations.first(where: { $0.startsOn <= day && day <= $0.endsOn }) { return .open(open) }
        return .closed(next: consultations.first { $0.startsOn > day }, last: consultations.last { $0.endsOn < day })
    }

    /// The proposal as the plan check names it: its problem, cut to a line.
    public static func summary(_ problem: String) -> String {
        let line = PlainText.singleLine(problem)
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }
}

/// A published proposal still waiting for its reasoned response, as rule R1 sees it.
public struct UnansweredProposal: Sendable, Equatable {
    public var id: UUID
    public var problem: String

    public init(id: UUID, problem: String) {
        self.id = id
        self.problem = problem
    }
}
