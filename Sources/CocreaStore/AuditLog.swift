import FluentKit
import Foundation
import SQLKit

/// Who made a change: a signed-in person, or the system itself (the CLI, the outbox worker).
public struct AuditActor: Sendable, Equatable {
    public var userID: UUID?
    public var label: String

    public init(userID: UUID?, label: String) {
        self.userID = userID
        self.label = label
    }

    public static let system = AuditActor(userID: nil, label: "sistema")

    /// A signed-in person, as the trail names them: "Name <email>".
    public init(_ user: User) {
        self.init(userID: user.id, label: "\(user.name) <\(user.email)>")
    }
}

/// Appends events to the hash-chained audit trail inside the writer's transaction: each event's hash
/// covers its content and the previous event's hash, so editing or deleting a row breaks the chain.
public struct AuditLog: Sendable {
    public static let genesisHash = String(repeating: "0", count: 64)

    let database: Database
    public let actor: AuditActor
    let isSQLite: Bool
    let now: @Sendable () -> Date

    /// `instant` is when the change happened, when the caller knows better than the clock (nil: now).
    public func record<Before: Encodable, After: Encodable>(
        _ action: String, entity: String, id: UUID?, exercise: UUID?, before: Before?, after: After?, at instant: Date? = nil
    ) async throws {
        let now = instant ?? self.now()
        if !isSQLite, let sql = database as? any SQLDatabase {
            // One chain, one writer at a time across every server process sharing this database
            // (keyed by schema, since each schema holds its own chain).
            try await sql.raw("SELECT pg_advisory_xact_lock(7301, hashtext(current_schema()))").run()
        }
        let last = try await AuditEvent.query(on: database).sort(\.$sequence, .descending).first()
        let event = AuditEvent()
        event.sequence = (last?.sequence ?? 0) + 1
        event.occurredAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
        event.actorUserID = actor.userID
        event.actor = actor.label
        event.action = action
        event.entity = entity
        event.entityID = id
        event.exerciseID = exercise
        event.before = before.map { JSON.canonical($0) }
        event.after = after.map { JSON.canonical($0) }
        event.previousHash = last?.hash ?? Self.genesisHash
        event.hash = Self.hash(of: event)
        try await event.create(on: database)
    }

    /// Records a change with only the new state (a creation) or only the old one (a deletion).
    public func created<After: Encodable>(_ entity: String, id: UUID?, exercise: UUID?, _ after: After) async throws {
        try await record("create", entity: entity, id: id, exercise: exercise, before: Optional<String>.none, after: after)
    }

    public func deleted<Before: Encodable>(_ entity: String, id: UUID?, exercise: UUID?, _ before: Before) async throws {
        try await record("delete", entity: entity, id: id, exercise: exercise, before: before, after: Optional<String>.none)
    }

    static func hash(of event: AuditEvent) -> String {
        let content = HashedContent(
            sequence: event.sequence,
            occurredAtMilliseconds: Int64((event.occurredAt.timeIntervalSince1970 * 1000).rounded()),
            actorUserID: event.actorUserID?.uuidString,
            actor: event.actor,
            action: event.action,
            entity: event.entity,
            entityID: event.entityID?.uuidString,
            exerciseID: event.exerciseID?.uuidString,
            before: event.before,
            after: event.after)
        return Hashing.sha256Hex(event.previousHash + "\n" + JSON.canonical(content))
    }

    private struct HashedContent: Encodable {
        var sequence: Int
        var occurredAtMilliseconds: Int64
        var actorUserID: String?
        var actor: String
        var action: String
        var entity: String
        var entityID: String?
        var exerciseID: String?
        var before: String?
        var after: String?
    }
}

/// The outcome of checking the whole chain.
public struct AuditVerification: Sendable, Equatable {
    public var eventCount: Int
    /// Spanish descriptions of every break found, in chain order; empty when the chain is intact.
    public var problems: [String]

    public var isIntact: Bool { problems.isEmpty }

    public static func verify(on database: Database) async throws -> AuditVerification {
        var problems: [String] = []
        var expectedSequence = 1
        var previousHash = AuditLog.genesisHash
        var count = 0
        // Paged so a long trail never sits in memory whole.
        var cursor = 0
        while true {
            let page = try await AuditEvent.query(on: database)
                .filter(\.$sequence > cursor).sort(\.$sequence).limit(1000).all()
            if page.isEmpty { break }
            for event in page {
                count += 1
                if event.sequence != expectedSequence {
                    problems.append("Faltan los eventos \(expectedSequence)…\(event.sequence - 1): fueron borrados.")
                }
                if event.previousHash != previousHash {
                    problems.append("El evento \(event.sequence) no enlaza con el anterior: la cadena fue alterada.")
                }
                if AuditLog.hash(of: event) != event.hash {
                    problems.append("El contenido del evento \(event.sequence) («\(event.action) \(event.entity)») fue modificado.")
                }
                expectedSequence = event.sequence + 1
                previousHash = event.hash
                cursor = event.sequence
            }
        }
        return AuditVerification(eventCount: count, problems: problems)
    }
}
