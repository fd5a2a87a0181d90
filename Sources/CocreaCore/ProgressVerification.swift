import Foundation

/// What a civil-society member of the STL says of a progress report: it holds («verificado»), or it
/// does not yet, for a reason the reporter answers («observado»).
public enum VerificationVerdict: String, Codable, Sendable, CaseIterable {
    case verified, observed
}

/// One step of a report's verification, as its public history keeps it.
public enum VerificationStep: String, Codable, Sendable, CaseIterable {
    case verified, observed, answered
}

/// Where a progress report stands: «reportado» until civil society verifies it; an observation waits for
/// the reporter's answer, and an answered report waits to be verified (or observed) again.
public enum VerificationState: String, Codable, Sendable, CaseIterable {
    case reported, observed, answered, verified

    /// The state its steps, oldest first, leave a report in.
    public static func of(_ steps: [VerificationStep]) -> VerificationState {
        switch steps.last {
        case nil: .reported
        case .verified: .verified
        case .observed: .observed
        case .answered: .answered
        }
    }

    /// Whether civil society has a verdict to give on it.
    public var awaitsVerification: Bool { self == .reported || self == .answered }
}

extension VerificationVerdict: Labelled { public static let vocabulary = "verificationVerdict" }
extension VerificationState: Labelled { public static let vocabulary = "verificationState" }
extension VerificationStep: Labelled { public static let vocabulary = "verificationStep" }

/// The rules of verified progress, the same for the API and the pages.
public enum ProgressVerification {
    /// The verdict and its reason (required to observe, optional to verify), or nil with every problem in `v`.
    public static func validate(verdict: String?, reason: String?, into v: inout Validator) -> (verdict: VerificationVerdict, reason: String)? {
        let before = v.errors.count
        let verdict = v.choice(verdict, as: VerificationVerdict.self, field: "verdict", label: "fieldVerdict")
        let reason =
            verdict == .observed
            ? v.required(reason, field: "reason", label: "fieldObservationReason", maxLength: 2000, lines: .multiple)
            : v.optional(reason, field: "reason", label: "fieldVerdictComment", maxLength: 2000, lines: .multiple) ?? ""
        guard v.errors.count == before, let verdict else { return nil }
        return (verdict, reason)
    }

    /// The reporter's answer to an observation, or nil with the problem in `v`.
    public static func validateAnswer(_ answer: String?, into v: inout Validator) -> String? {
        let before = v.errors.count
        let text = v.required(answer, field: "answer", label: "fieldObservationAnswer", maxLength: 2000, lines: .multiple)
        return v.errors.count == before ? text : nil
    }

    /// Whether `state` takes a verdict from this person: only civil society verifies, never their own report,
    /// and a verified report stays verified.
    public static func checkVerdict(on state: VerificationState, reportedByThemselves: Bool) throws(CocreaError) {
        if reportedByThemselves { throw CocreaError.ownReportVerification }
        if state == .verified { throw CocreaError.reportAlreadyVerified }
    }

    /// Only an observed report takes an answer.
    public static func checkAnswer(on state: VerificationState) throws(CocreaError) {
        guard state == .observed else { throw CocreaError.reportNotObserved }
    }
}
