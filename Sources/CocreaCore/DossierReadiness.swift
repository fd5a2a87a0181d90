import Foundation

/// Who holds the current dossier, and so whether and when a table may be held (rule D10).
public struct DossierReadiness: Sendable, Equatable {
    /// One invited member and the latest dossier version they opened.
    public struct MemberReceipt: Sendable, Equatable {
        public var memberID: UUID
        public var name: String
        public var receivedVersion: Int?
        public var receivedAt: Date?

        public init(memberID: UUID, name: String, receivedVersion: Int?, receivedAt: Date?) {
            self.memberID = memberID
            self.name = name
            self.receivedVersion = receivedVersion
            self.receivedAt = receivedAt
        }
    }

    public struct MemberState: Sendable, Equatable {
        public var receipt: MemberReceipt
        /// Whether they opened the current version.
        public var current: Bool
    }

    /// The version now in force: nil when nothing was sent, or the dossier changed after the last sending.
    public var currentVersion: Int?
    public var members: [MemberState]
    public var earliestValidDate: LocalDate?

    public var holdingBack: [MemberReceipt] { members.filter { !$0.current }.map(\.receipt) }

    public init(currentVersion: Int?, receipts: [MemberReceipt], timeZone: TimeZone) {
        self.currentVersion = currentVersion
        members = receipts.map { receipt in
            MemberState(receipt: receipt, current: currentVersion != nil && receipt.receivedVersion == currentVersion && receipt.receivedAt != nil)
        }
        earliestValidDate =
            currentVersion == nil
            ? nil
            : DossierWindow.earliestValidDate(receipts: members.map { $0.current ? $0.receipt.receivedAt : nil }, timeZone: timeZone)
    }

    /// Refuses a table starting at `startsAt` unless D10 holds, naming who holds it back and the earliest date.
    public func check(startsAt: Date, timeZone: TimeZone) throws(CocreaError) {
        if let earliest = earliestValidDate, let day = LocalDate(date: startsAt, in: timeZone), day >= earliest { return }
        throw CocreaError.dossierWindow(
            currentVersion: currentVersion, holdingBack: holdingBack.map { ($0.memberID, $0.name) }, earliestValidDate: earliestValidDate)
    }
}
