import CocreaCore
import CocreaProcurement
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
    /// The exercise's procurement commitment, and its facilitator acting on it.
    static func procurementCommitment(on app: Application) async throws -> (commitment: Commitment, facilitator: ExerciseContext) {
        let fixture = try await Fixture.make(on: app)
        let commitment = try await Fixture.commitment(
            "Contrataciones abiertas de medicamentos", of: fixture.exercise.requireID(), category: .procurement, on: app.db)
        return (commitment, try await fixture.context("facilitator", on: app))
    }

    @Test(arguments: TestDatabase.all)
    func anOCDSPackageIsAttachedToAProcurementCommitment(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (commitment, facilitator) = try await Self.procurementCommitment(on: app)
            let attached = try await ProcurementOperations.attach(
                Data(ProcurementTests.package.utf8), name: "ssj-2026-014.json", sourceURL: nil, to: commitment.requireID(),
                in: facilitator, on: app.useCases)
            #expect(attached.name == "ssj-2026-014.json")
            #expect(try await ProcurementPackage.query(on: app.db).count() == 1)
            #expect(try await ProcurementOperations.list(commitment.requireID(), in: facilitator, on: app.useCases).map(\.id) == [attached.id])
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

    /// Two weeks after the invitation, the Secretaría publishes the award's date and its supplier.
    static let amendment = """
        {"uri": "https://transparencia.jalisco.gob.mx/ocds/salud/2026-022-a.json", "publishedDate": "2026-05-27T10:00:00-06:00",
         "publisher": {"name": "Secretaría de Salud Jalisco"}, "version": "1.1",
         "releases": [
          {"ocid": "ocds-7sjl2m-SSJ-IA-2026-022", "id": "SSJ-IA-2026-022-02", "date": "2026-04-16T10:00:00-06:00",
           "tag": ["awardUpdate"], "initiationType": "tender",
           "parties": [{"id": "MX-RFC-MMS980512QX4", "name": "Material Médico del Sur, S.A. de C.V.", "roles": ["supplier"]}],
           "awards": [{"id": "SSJ-022-A1", "date": "2026-04-03T12:00:00-06:00", "value": {"amount": 1198000, "currency": "MXN"},
                       "suppliers": [{"id": "MX-RFC-MMS980512QX4"}]}]}
         ]}
        """

    /// The commitment's processes as stored: what every read shows, compiled by the last write.
    static func compiled(_ commitmentID: UUID, on db: any Database) async throws -> [ContractingProcess] {
        let stored = try await ProcurementCompilation.query(on: db).filter(\.$commitment.$id == commitmentID).all()
        #expect(stored.count == 1, "one compilation per commitment")
        return try ContractingProcess.decode(try #require(stored.first).processes)
    }

    @Test(arguments: TestDatabase.all)
    func aCommitmentsProcessesAreCompiledAcrossItsPackagesWhenOneIsAttachedOrRemoved(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (commitment, facilitator) = try await Self.procurementCommitment(on: app)
            let first = try await ProcurementOperations.attach(
                Data(ProcurementTests.package.utf8), name: "ssj-2026-014.json", sourceURL: nil, to: commitment.requireID(),
                in: facilitator, on: app.useCases)
            let before = try await Self.compiled(commitment.requireID(), on: app.db)
            #expect(before.map(\.ocid) == ["ocds-7sjl2m-SSJ-IA-2026-022", "ocds-7sjl2m-SSJ-LPL-2026-014"])
            #expect(before.first?.flags.map(\.code).contains("missing_award_date") == true)
            #expect(try ContractingProcess.decode(first.processes) == before, "alone, the package's processes are the commitment's")

            let amendment = try await ProcurementOperations.attach(
                Data(Self.amendment.utf8), name: "ssj-2026-022-a.json", sourceURL: nil, to: commitment.requireID(),
                in: facilitator, on: app.useCases)
            let invitation = try #require(try await Self.compiled(commitment.requireID(), on: app.db).first)
            #expect(invitation.releaseCount == 2, "the amendment joins the invitation's process across packages")
            #expect(invitation.awards.first?.suppliers.first?.name == "Material Médico del Sur, S.A. de C.V.")
            #expect(!invitation.flags.map(\.code).contains("missing_award_date"))
            #expect(try ContractingProcess.decode(amendment.processes).map(\.releaseCount) == [1], "the package alone holds one release")

            try await ProcurementOperations.delete(amendment.requireID(), in: facilitator, on: app.useCases)
            #expect(try await Self.compiled(commitment.requireID(), on: app.db) == before, "removing it brings back what the first said")
        }
    }

    @Test(arguments: TestDatabase.all)
    func packagesStoredBeforeProcessesWereCompiledAtWriteAreCompiledByTheMigration(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (commitment, facilitator) = try await Self.procurementCommitment(on: app)
            for (json, name) in [(ProcurementTests.package, "ssj-2026-014.json"), (Self.amendment, "ssj-2026-022-a.json")] {
                _ = try await ProcurementOperations.attach(
                    Data(json.utf8), name: name, sourceURL: nil, to: commitment.requireID(), in: facilitator, on: app.useCases)
            }
            let compiledAtWrite = try await Self.compiled(commitment.requireID(), on: app.db)
            let packagesAtWrite = try await ProcurementPackage.query(on: app.db).sort(\.$name).all().map(\.processes)
            // As a database from before the migration holds them: releases only.
            try await ProcurementPackage.query(on: app.db).set(\.$processes, to: "[]").update()
            try await ProcurementCompilation.query(on: app.db).delete()

            try await ProcurementCompilation.compileEveryPackage(on: app.db, at: Date(timeIntervalSince1970: 1_780_000_000))
            #expect(try await Self.compiled(commitment.requireID(), on: app.db) == compiledAtWrite)
            #expect(try await ProcurementPackage.query(on: app.db).sort(\.$name).all().map(\.processes) == packagesAtWrite)
        }
    }
}
