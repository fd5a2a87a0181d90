import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The signed PAL (rule S1), without HTTP once the plan is frozen.
@Suite struct SigningUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func requestingSignaturesGivesEveryActorTheirOwnLink(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let version = try #require(try await PlanVersion.find(setup.version.id, on: app.db))
            let status = try await SigningOperations.request(version, in: setup.fixture.context("facilitator", on: app), on: app.useCases)
            #expect(status.signatures.count == 4, "the four members of the exercise")
            #expect(!status.sealed)
            #expect(Set(try await Signature.query(on: app.db).all().map(\.tokenHash)).count == 4, "one link each")
        }
    }

    @Test(arguments: TestDatabase.all)
    func noCodeIsSentForALinkThatDoesNotExist(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            _ = try await Fixture.make(on: app)
            await #expect {
                try await SigningOperations.sendCode(token: "enlace-de-firma-inventado", on: app.useCases)
            } throws: { isRefusal($0, .signingLinkNotFound) }
            #expect(try await Delivery.query(on: app.db).count() == 0)
        }
    }
}
