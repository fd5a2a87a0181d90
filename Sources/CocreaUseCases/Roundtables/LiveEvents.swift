import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import SQLKit

/// One event of a live table, ready to show: the console's script inserts these texts as they are.
package struct LiveEvent: Codable, Sendable {
    package var type: String
    /// "14:32", in the exercise's time zone.
    package var at: String
    package var stage: RoundtableStage?
    package var stageLabel: String?
    package var memberId: UUID?
    package var memberName: String?
    package var presenceLabel: String?
    package var interventionId: UUID?
    package var kindLabel: String?
    package var text: String?
    package var itemId: UUID?
    package var itemTitle: String?
    package var itemBody: String?

    package init(
        type: String, at: String, stage: RoundtableStage? = nil, stageLabel: String? = nil, memberId: UUID? = nil, memberName: String? = nil,
        presenceLabel: String? = nil, interventionId: UUID? = nil, kindLabel: String? = nil, text: String? = nil, itemId: UUID? = nil, itemTitle: String? = nil,
        itemBody: String? = nil
    ) {
        self.type = type
        self.at = at
        self.stage = stage
        self.stageLabel = stageLabel
        self.memberId = memberId
        self.memberName = memberName
        self.presenceLabel = presenceLabel
        self.interventionId = interventionId
        self.kindLabel = kindLabel
        self.text = text
        self.itemId = itemId
        self.itemTitle = itemTitle
        self.itemBody = itemBody
    }
}

/// Writes table events inside the caller's transaction and wakes the live streams after it.
package enum LiveEvents {
    /// The PostgreSQL channel of this store (one per schema, so test schemas never cross).
    package static func channel(for location: StoreLocation) -> String? {
        guard case .postgres(_, let searchPath) = location else { return nil }
        return "cocrea_live_\((searchPath ?? "public").filter { $0.isLetter || $0.isNumber || $0 == "_" })"
    }

    package static func append(_ event: LiveEvent, table: UUID, at now: Date, on tx: Database, channel: String?) async throws {
        let last = try await RoundtableEvent.query(on: tx).sort(\.$sequence, .descending).first()?.sequence ?? 0
        try await RoundtableEvent(sequence: last + 1, roundtableID: table, kind: event.type, payload: JSON.canonical(event), occurredAt: now)
            .create(on: tx)
        // PostgreSQL delivers the notification when the transaction commits, to every process.
        if let channel, let sql = tx as? any SQLDatabase {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: table.uuidString))").run()
        }
    }

    package static func time(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
