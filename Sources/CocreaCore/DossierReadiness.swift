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
        var message: String
        if currentVersion == nil {
            message =
                "El expediente previo tiene cambios sin enviar (o nunca se envió): envíalo y espera a que todas las personas lo reciban; la mesa podrá celebrarse 10 días después."
        } else if let earliest = earliestValidDate {
            message =
                "La mesa no puede celebrarse antes del \(MexicanFormat.date(earliest)): todas las personas deben contar con el expediente al menos 10 días antes."
        } else {
            let names = holdingBack.map(\.name).joined(separator: ", ")
            message =
                "Aún no reciben la versión \(currentVersion!) del expediente: \(names). La mesa podrá celebrarse 10 días después de que la última persona lo reciba."
        }
        if currentVersion != nil, earliestValidDate != nil, !holdingBack.isEmpty {
            message += " Faltan: \(holdingBack.map(\.name).joined(separator: ", "))."
        }
        throw CocreaError.dossierWindow(message, holdingBack: holdingBack.map(\.memberID), earliestValidDate: earliestValidDate)
    }
}
