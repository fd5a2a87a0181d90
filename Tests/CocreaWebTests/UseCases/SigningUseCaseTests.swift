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

    @Test(arguments: TestDatabase.all)
    func aVersionIsPublicOnceSealedAndItsFilesAreTheOnesVerified(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let id = try #require(setup.version.id)
            let frozen = try #require(try await PlanVersion.find(id, on: app.db))
            let pal = try await PlanDocumentOperations.pdf(of: frozen, on: app.useCases)
            #expect(pal.name == "pal-v1.pdf" && pal.data.starts(with: Data("%PDF".utf8)))
            #expect(try await SigningOperations.zone(of: frozen, on: app.useCases) == setup.fixture.exercise.zone)
            await #expect("an unsigned version tells nobody its exercise") {
                try await VerificationOperations.sealedVersion(id, on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
            await #expect { try await SigningOperations.sealedPDF(id, on: app.useCases) } throws: { isRefusal($0, .notSealed) }

            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            let (version, exercise, signers) = try await VerificationOperations.sealedVersion(id, on: app.useCases)
            #expect(exercise.id == setup.fixture.exercise.id)
            #expect(signers.count == 4, "every member signed the paper copy")
            let sealed = try await SigningOperations.sealedPDF(id, on: app.useCases)
            let verified = try await VerificationOperations.verify(file: sealed.data, on: app.useCases)
            #expect(verified.authentic && verified.planVersionId == id)
            #expect(try await VerificationOperations.verify(sha256: verified.sha256, on: app.useCases).planVersionId == id)
            #expect(try await VerificationOperations.version(id, on: app.useCases)?.version.sealedSHA256 == version.sealedSHA256)
        }
    }
}
