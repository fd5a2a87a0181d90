/// The domain's closed vocabularies, with the raw values used in the database, the API and the docs.

public enum Sector: String, Codable, Sendable, CaseIterable {
    case guarantor, institution, civilSociety
}

public enum Role: String, Codable, Sendable, CaseIterable {
    case administrator, facilitator, member
}

public enum DossierItemKind: String, Codable, Sendable, CaseIterable {
    case capacityKit, problem, minimumCriterion, solution, preliminaryCommitment
    case consultationFinding, informationRequests, statistic, study

    /// The problems a commitment can answer (rule Q3): the diagnosis's, and those the institution found
    /// through public consultation or recurring information requests.
    public static let linkableProblems: [DossierItemKind] = [.problem, .consultationFinding, .informationRequests]

    /// Whether the item is a file (the capacity kit) rather than text with an optional attachment.
    public var requiresFile: Bool { self == .capacityKit }

    /// Who brings this kind of material to the dossier (domain.md, "Before the table").
    public var contributingSector: Sector {
        switch self {
        case .capacityKit, .problem, .minimumCriterion, .solution, .preliminaryCommitment: .guarantor
        case .consultationFinding, .informationRequests, .statistic, .study: .institution
        }
    }
}

public enum RoundtableStage: String, Codable, Sendable, CaseIterable {
    case scheduled, introduction, analysis, agreements, followUp, closed
}

public enum Presence: String, Codable, Sendable, CaseIterable {
    case present, absent, represented
}

public enum InterventionKind: String, Codable, Sendable, CaseIterable {
    case doubt, contribution, feedback
}

public enum CommitmentCategory: String, Codable, Sendable, CaseIterable {
    case procurement, nationalPlan, local
}

public enum ActivityStatus: String, Codable, Sendable, CaseIterable {
    case notStarted, inProgress, completed
}

/// Who may see a dossier item once the exercise is public: everyone (its document repository), or
/// only the STL (an item holding personal data, say).
public enum DossierVisibility: String, Codable, Sendable, CaseIterable {
    case `public`, stlOnly
}

public enum Stance: String, Codable, Sendable, CaseIterable {
    case agree, agreeWithReservations, disagree
}

public enum DeliveryState: String, Codable, Sendable, CaseIterable {
    /// Waiting for its turn (or for its next retry).
    case pending
    /// Claimed by one worker, which is talking to the SMTP server now.
    case sending
    /// Accepted by the SMTP server.
    case sent
    /// Refused for good, or out of attempts.
    case failed
    /// A worker stopped while sending it: it may or may not have left; only a person may send it again.
    case interrupted
}
