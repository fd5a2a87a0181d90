import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The open data of an exercise, read through its use cases without HTTP.
@Suite struct OpenDataUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func anExercisesOpenDataIsPrivateWorkUntilItsPlanIsSealedThenEveryDatasetHasTheColumnsItsDictionaryDeclares(
        database: TestDatabase
    ) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let exerciseID = try setup.fixture.exercise.requireID()
            for dataset in OpenDataset.allCases {
                await #expect("\(dataset.rawValue) before sealing") {
                    try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: app.useCases)
                } throws: { isRefusal($0, .notPublic) }
            }
            await #expect { try await OpenDataOperations.description(of: exerciseID, on: app.useCases) } throws: { isRefusal($0, .notPublic) }
            await #expect { try await OpenDataOperations.requirePublic(exerciseID, on: app.useCases) } throws: { isRefusal($0, .notPublic) }
            #expect(try await OpenDataOperations.catalogue(on: app.useCases).isEmpty, "the catalogue lists no unsealed exercise")

            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            try await OpenDataOperations.requirePublic(exerciseID, on: app.useCases)
            for dataset in OpenDataset.allCases {
                let rows = try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: app.useCases)
                #expect(rows.allSatisfy { $0.count == dataset.columns.count }, "\(dataset.rawValue): every row has its declared columns")
            }
            let commitments = try await OpenDataOperations.rows(of: .commitments, exercise: exerciseID, on: app.useCases)
            let sealedTitles = try await Commitment.query(on: app.db).filter(\.$exercise.$id == exerciseID).all().map(\.title)
            #expect(Set(commitments.map { $0[1] }) == Set(sealedTitles), "one row per sealed commitment, by its title")
            let signatures = try await OpenDataOperations.rows(of: .signatures, exercise: exerciseID, on: app.useCases)
            let members = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).count()
            #expect(signatures.count == members, "every member signed the paper copy")

            let described = try await OpenDataOperations.description(of: exerciseID, on: app.useCases)
            #expect(described.name == setup.fixture.exercise.name)
            let guarantors = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).filter(\.$sector == .guarantor).all()
            #expect(described.publishers == Array(Set(guarantors.map(\.organization))).sorted(), "the guarantor publishes it")
            #expect(try await OpenDataOperations.catalogue(on: app.useCases).map(\.id) == [exerciseID])
        }
    }
}
