import Foundation

/// A commitment's completion on the Independent Reporting Mechanism's scale.
public enum Completion: String, Codable, Sendable, CaseIterable {
    case noEvidence, notStarted, limited, substantial, complete
}

/// Seguimiento: a commitment's progress rolls up from its activities.
public enum ProgressRollup {
    public struct Activity: Sendable, Equatable {
        /// 0–100.
        public var progress: Int
        /// Whether anyone has reported on this activity yet.
        public var reported: Bool
        /// How much of the commitment this activity is (1 unless agreed otherwise).
        public var weight: Int

        public init(progress: Int, reported: Bool, weight: Int = 1) {
            self.progress = progress
            self.reported = reported
            self.weight = weight
        }
    }

    /// What a report's progress counts for in the roll-up: an activity is complete only once civil society
    /// verified the report that completes it; until then it counts as 99 %, so neither it nor its
    /// commitment reads complete. Progress short of 100 counts as reported.
    public static func counted(progress: Int, verified: Bool) -> Int {
        progress >= 100 && !verified ? 99 : progress
    }

    /// The weighted average of the activities' progress, rounded down (0 when there are none).
    public static func progress(of activities: [Activity]) -> Int {
        let weight = activities.reduce(0) { $0 + max($1.weight, 0) }
        guard weight > 0 else { return 0 }
        let sum = activities.reduce(0) { $0 + min(max($1.progress, 0), 100) * max($1.weight, 0) }
        return sum / weight
    }

    /// No report at all is "no evidence"; then 0 % not started, under half limited, from half on
    /// substantial, and 100 % complete.
    public static func completion(of activities: [Activity]) -> Completion {
        guard activities.contains(where: \.reported) else { return .noEvidence }
        let value = progress(of: activities)
        switch value {
        case 100...: return .complete
        case 50..<100: return .substantial
        case 1..<50: return .limited
        default: return .notStarted
        }
    }
}

/// One progress report on an activity, as a person sends it or a row of the activities CSV says it:
/// the same rules for both.
public struct ProgressReport: Sendable, Equatable {
    public var status: ActivityStatus
    /// 0–100; a completed activity is at 100.
    public var progress: Int
    public var note: String
    /// A full http(s) link to the evidence, when there is one.
    public var evidenceURL: String?

    /// The report, or nil with every problem recorded in `v` (fields status, progress, note, evidenceUrl).
    public static func validate(status: String?, progress: Int?, note: String?, evidenceURL: String?, into v: inout Validator) -> ProgressReport? {
        let before = v.errors.count
        let status = v.choice(status, as: ActivityStatus.self, field: "status", label: "fieldStatus")
        if let progress, (0...100).contains(progress) {
            if status == .completed && progress != 100 {
                v.add(field: "progress", "problemCompletedAt100")
            }
        } else {
            v.add(field: "progress", "problemProgressNumber")
        }
        let note = v.optional(note, field: "note", label: "fieldNote", maxLength: 2000, lines: .multiple) ?? ""
        let evidence = v.optional(evidenceURL, field: "evidenceUrl", label: "fieldEvidenceURL", maxLength: 500)
        if let evidence, !(evidence.hasPrefix("https://") || evidence.hasPrefix("http://")) || URL(string: evidence)?.host == nil {
            v.add(field: "evidenceUrl", "problemEvidenceLink")
        }
        guard v.errors.count == before, let status, let progress else { return nil }
        return ProgressReport(status: status, progress: progress, note: note, evidenceURL: evidence)
    }
}
