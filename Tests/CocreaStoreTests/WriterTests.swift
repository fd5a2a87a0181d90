import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import SQLiteNIO
import Testing
import Vapor

@testable import CocreaWeb

/// SQLite lets one connection write at a time. A write of another process on the same file (an
/// operator's `cocrea token create` beside the server) must make a write wait its turn, never fail
/// with «database is locked»: every write reads the audit chain's tail before it inserts, and a read
/// made before the other process committed cannot be upgraded to a write after it.
@Suite struct WriterTests {
    @Test func aWriteWaitsForAnotherProcessWritingTheSameFile() async throws {
        try await withCocrea(.sqlite) { app in
            guard case .sqlite(let path) = app.options.location else { return }
            let actor = AuditActor(userID: nil, label: "Lic. Jorge Ramírez Ochoa <jorge.ramirez@stl-jalisco.example>")
            try await app.writer.write(on: app.db, actor: actor) { _, audit in
                try await audit.created("dossierItem", id: UUID(), exercise: nil, ["title": "Desabasto de medicamentos"])
            }

            let other = try await SQLiteConnection.open(storage: .file(path: path))
            _ = try await other.query("BEGIN IMMEDIATE")
            _ = try await other.query("UPDATE _fluent_migrations SET batch = batch")
            let commit = Task {
                try await Task.sleep(for: .milliseconds(300))
                _ = try await other.query("COMMIT")
            }
            try await app.writer.write(on: app.db, actor: actor) { _, audit in
                try await audit.created("dossierItem", id: UUID(), exercise: nil, ["title": "Tiempos de espera en ventanilla"])
            }
            try await commit.value
            try await other.close()

            let verification = try await AuditVerification.verify(on: app.db)
            #expect(verification.isIntact)
            #expect(verification.eventCount == 2)
        }
    }
}
