import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Open contracting packages attached to a procurement commitment, without HTTP.
@Suite struct ProcurementUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func anOCDSPackageIsAttachedToAProcurementCommitment(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let commitment = try await Fixture.commitment(
                "Contrataciones abiertas de medicamentos", of: fixture.exercise.requireID(), category: .procurement, on: app.db)
            let attached = try await ProcurementOperations.attach(
                Data(ProcurementTests.package.utf8), name: "ssj-2026-014.json", sourceURL: nil, to: commitment.requireID(),
                in: fixture.context("facilitator", on: app), on: app.useCases)
            #expect(attached.name == "ssj-2026-014.json")
            #expect(try await ProcurementPackage.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPackageIsRefusedOnACommitmentThatIsNotAboutProcurement(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let local = try await Fixture.commitment(
                "Tablero de abasto por unidad médica", of: fixture.exercise.requireID(), category: .local, on: app.db)
            await #expect {
                try await ProcurementOperations.attach(
                    Data(ProcurementTests.package.utf8), name: "ssj-2026-014.json", sourceURL: nil, to: local.requireID(),
                    in: fixture.context("facilitator", on: app), on: app.useCases)
            } throws: { isRefusal($0, .notProcurementCommitment) }
            #expect(try await ProcurementPackage.query(on: app.db).count() == 0)
        }
    }
}
