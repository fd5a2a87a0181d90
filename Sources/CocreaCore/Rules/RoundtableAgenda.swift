/// The agenda of a table runs in order, one stage at a time: programada, introducción, análisis,
/// acuerdos, seguimiento, concluida. Opening it (programada → introducción) is when rule D10 is
/// checked again, for the day it actually opens.
public enum RoundtableAgenda {
    /// The stage a table moves to when asked for `requested`: only the next one, and never on a
    /// cancelled table.
    public static func advance(from stage: RoundtableStage, cancelled: Bool, to requested: RoundtableStage) throws(CocreaError) -> Step {
        guard !cancelled else { throw CocreaError.roundtableCancelled }
        guard requested == stage.next else { throw CocreaError.stageOutOfOrder(stage: stage, expected: stage.next) }
        return Step(stage: requested, opensTheTable: stage == .scheduled)
    }

    public struct Step: Sendable, Equatable {
        public var stage: RoundtableStage
        /// The table opens now: rule D10 must hold today.
        public var opensTheTable: Bool
        /// Only análisis puts a dossier item on every screen; any other stage takes it off.
        public var keepsPresenting: Bool { stage == .analysis }
    }
}

extension RoundtableStage {
    /// The stage after this one, nil once the table is concluded.
    public var next: RoundtableStage? {
        switch self {
        case .scheduled: .introduction
        case .introduction: .analysis
        case .analysis: .agreements
        case .agreements: .followUp
        case .followUp: .closed
        case .closed: nil
        }
    }
}
