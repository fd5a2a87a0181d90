import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Making an exercise public, without HTTP.
@Suite struct PublicationUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func aPublishedExerciseIsListedAndOpenToAnyone(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = try fixture.exercise.requireID()
            let publication = try await PublicationOperations.publish(fixture.context("facilitator", on: app), on: app.useCases)
            #expect(publication.publicUrl == "http://127.0.0.1:8080/public/exercises/\(exerciseID.uuidString.lowercased())")
            let (_, isPublic) = try await PublicExerciseOperations.visibleExercise(exerciseID, to: nil, on: app.useCases)
            #expect(isPublic)
            #expect(try await ExerciseListing.publicPage(search: nil, page: 1, on: app.db).rows.map(\.id) == [exerciseID])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftIsHiddenFromAnyoneWithoutAnAccount(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            await #expect {
                try await PublicExerciseOperations.visibleExercise(fixture.otherExercise.requireID(), to: nil, on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }

    /// Published, sealed without being published, and frozen but not sealed: the index lists exactly the
    /// exercises each one's visibility check opens, and a search keeps to them.
    @Test(arguments: TestDatabase.all)
    func thePublicIndexListsExactlyTheExercisesAnyoneMayOpen(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            _ = try await PublicationOperations.publish(fixture.context("facilitator", on: app), on: app.useCases)
            let sealed = try await ExerciseOperations.create(
                ExerciseInput.Valid(
                    name: "Ejercicio local de gobierno abierto Zapopan 2026", territory: "Zapopan, Jalisco", timeZone: "America/Mexico_City",
                    nationalPlan: "2016-2018", sectorLabels: [:]),
                by: .system, on: app.useCases)
            for (exercise, sealedAt) in [(sealed, Optional(app.options.now())), (fixture.otherExercise, nil)] {
                let version = PlanVersion()
                version.$exercise.id = try exercise.requireID()
                version.number = 1
                version.content = #"{"commitments":[]}"#
                version.sha256 = Hashing.sha256Hex(version.content)
                version.frozenAt = app.options.now()
                version.sealedAt = sealedAt
                try await version.create(on: app.db)
            }
            let listed = Set(try await ExerciseListing.publicPage(search: nil, page: 1, on: app.db).rows.compactMap(\.id))
            #expect(listed == [try fixture.exercise.requireID(), try sealed.requireID()])
            let zapopan = try await ExerciseListing.publicPage(search: "zapopan", page: 1, on: app.db)
            #expect(zapopan.rows.map(\.id) == [try sealed.requireID()], "a search narrows the public exercises, published ones too")
            for exercise in try await Exercise.query(on: app.db).all() {
                #expect(try await PublicationOperations.isPublic(exercise, on: app.db) == listed.contains(try exercise.requireID()), "\(exercise.name)")
            }
        }
    }
}
