import Foundation

/// The manifestación de conformidad is stated by those present at the table, in person or
/// represented. The table that counts is the latest one whose attendance was taken; before any
/// attendance is taken, every member may state it.
public enum ConformityEligibility {
    /// One table of the exercise: when it starts and each member's recorded presence (empty while
    /// attendance was not taken).
    public struct Table: Sendable {
        public var startsAt: Date
        public var attendance: [UUID: Presence]

        public init(startsAt: Date, attendance: [UUID: Presence]) {
            self.startsAt = startsAt
            self.attendance = attendance
        }
    }

    /// Refuses `member` unless they were present or represented at the latest table with attendance.
    public static func check(_ member: UUID, tables: [Table]) throws(CocreaError) {
        let counted = tables.filter { !$0.attendance.isEmpty }.max { $0.startsAt < $1.startsAt }
        guard let counted else { return }
        switch counted.attendance[member] {
        case .present, .represented: return
        case .absent, nil: throw CocreaError.notPresent
        }
    }
}
