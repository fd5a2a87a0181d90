/// A commitment's completion on the Independent Reporting Mechanism's scale.
public enum Completion: String, Codable, Sendable, CaseIterable {
    case noEvidence, notStarted, limited, substantial, complete
}

extension Completion: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.noEvidence, .es): "Sin evidencia"
        case (.noEvidence, .en): "No evidence available"
        case (.notStarted, .es): "No iniciado"
        case (.notStarted, .en): "Not started"
        case (.limited, .es): "Limitado"
        case (.limited, .en): "Limited"
        case (.substantial, .es): "Sustancial"
        case (.substantial, .en): "Substantial"
        case (.complete, .es): "Completo"
        case (.complete, .en): "Complete"
        }
    }
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
