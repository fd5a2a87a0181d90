import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The audit trail is a SHA-256 chain: editing or deleting any row is detected.
@Suite struct AuditChainTests {
    private func recordThree(on app: Application) async throws {
        let actor = AuditActor(userID: nil, label: "Lic. Jorge Ramírez Ochoa <jorge.ramirez@stl-jalisco.example>")
        for title in ["Desabasto de medicamentos", "Tiempos de espera en ventanilla", "Opacidad en compras de insumos"] {
            try await app.writer.write(on: app.db, actor: actor) { _, audit in
                try await audit.created("dossierItem", id: UUID(), exercise: nil, ["title": title])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyEventTakesItsTimeFromTheApplicationsClock(database: TestDatabase) async throws {
        // Thursday 18 March 2027, 10:30 in Guadalajara: nowhere near the machine's own date.
        let clock = TestClock(ISO8601DateFormatter().date(from: "2027-03-18T16:30:00Z")!)
        try await withCocrea(database, clock: clock) { app in
            try await recordThree(on: app)
            clock.advance(by: 90)
            try await recordThree(on: app)
            let times = try await AuditEvent.query(on: app.db).sort(\.$sequence).all().map(\.occurredAt)
            #expect(times == Array(repeating: clock.now.addingTimeInterval(-90), count: 3) + Array(repeating: clock.now, count: 3))
        }
    }

    @Test(arguments: TestDatabase.all)
    func untouchedChainVerifies(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            try await recordThree(on: app)
            let verification = try await AuditVerification.verify(on: app.db)
            #expect(verification.isIntact)
            #expect(verification.eventCount == 3)
            let events = try await AuditEvent.query(on: app.db).sort(\.$sequence).all()
            #expect(events[1].previousHash == events[0].hash)
            #expect(events[0].previousHash == AuditLog.genesisHash)
        }
    }

    @Test(arguments: TestDatabase.all)
    func editedRowIsDetected(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            try await recordThree(on: app)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE audit_events SET after = '{\"title\":\"Otra cosa\"}' WHERE sequence = 2").run()
            let verification = try await AuditVerification.verify(on: app.db)
            #expect(!verification.isIntact)
            #expect(verification.problems.contains { $0.contains("evento 2") && $0.contains("modificado") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletedRowIsDetected(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            try await recordThree(on: app)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM audit_events WHERE sequence = 2").run()
            let verification = try await AuditVerification.verify(on: app.db)
            #expect(!verification.isIntact)
            #expect(verification.problems.contains { $0.contains("borrados") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentWritersKeepOneUnbrokenChain(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    // Never more writers waiting than the pool has connections: on a loaded machine the
                    // others would time out waiting for one, which is not what this test is about.
                    if index >= 8 { try await group.next() }
                    group.addTask {
                        try await app.writer.write(on: app.db, actor: .system) { _, audit in
                            try await audit.created("note", id: UUID(), exercise: nil, ["n": "\(index)"])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verification = try await AuditVerification.verify(on: app.db)
            #expect(verification.isIntact, "\(verification.problems)")
            #expect(verification.eventCount == 40)
        }
    }
}
