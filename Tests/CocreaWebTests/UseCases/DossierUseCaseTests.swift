import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The dossier before the table (rule D10), called without HTTP.
@Suite struct DossierUseCaseTests {
    static let problem = DossierItemInput.Valid(
        kind: .problem, title: "Desabasto de medicamentos en centros de salud de la zona metropolitana",
        body: "Las recetas surtidas de forma incompleta superaron el 30 % en varios centros de salud de Guadalajara y Zapopan.",
        source: "Relatoría del evento de arranque, 14 de octubre de 2026")

    /// Every member's receipt token, from the personal links the dossier's mail carries.
    static func receiptTokens(on app: Application) async throws -> [String: String] {
        try await DossierWindowFlowTests.links(kind: "dossier", on: app).mapValues { String($0.split(separator: "/").last ?? "") }
    }

    @Test(arguments: TestDatabase.all)
    func theDossierReachesEveryMemberAndOpeningTheLinkIsTheirReceipt(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            _ = try await ExerciseOperations.addDossierItem(Self.problem, upload: nil, to: facilitator, on: app.useCases)
            _ = try await DossierOperations.distribute(facilitator, on: app.useCases)
            let tokens = try await Self.receiptTokens(on: app)
            #expect(tokens.count == 4, "the four members of the exercise, each with their own link")

            clock.advance(by: 3600)
            let lucia = fixture.members["civilSociety"]!.email
            let (receipt, _, member) = try await DossierOperations.receive(token: try #require(tokens[lucia]), on: app.useCases)
            #expect(member.email == lucia)
            #expect(receipt.receivedAt == clock.now)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEmptyDossierIsNotSent(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            await #expect {
                try await DossierOperations.distribute(fixture.context("facilitator", on: app), on: app.useCases)
            } throws: { isRefusal($0, .dossierEmpty) }
            #expect(try await DossierDistribution.query(on: app.db).count() == 0)
            #expect(try await Delivery.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReceiptLinkShowsTheDossierAndTellsWhenANewerVersionWentOut(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            _ = try await ExerciseOperations.addDossierItem(Self.problem, upload: nil, to: facilitator, on: app.useCases)
            _ = try await DossierOperations.distribute(facilitator, on: app.useCases)
            let token = try #require(try await Self.receiptTokens(on: app)[fixture.members["civilSociety"]!.email])

            let first = try await DossierOperations.receivedDossier(token: token, on: app.useCases)
            #expect(first.member.name == "Lucía Hernández Paredes")
            #expect(first.items.map(\.title) == [Self.problem.title])
            #expect(!first.outdated)
            #expect(first.receipt.receivedAt != nil, "opening the link is the receipt")

            _ = try await ExerciseOperations.addDossierItem(
                .init(
                    kind: .problem, title: "Surtido incompleto de recetas en farmacias del IMSS-Bienestar",
                    body: "412 personas respondieron; 61 % no encontró al menos un medicamento.", source: "Consulta pública, noviembre de 2026"),
                upload: nil, to: facilitator, on: app.useCases)
            _ = try await DossierOperations.distribute(facilitator, on: app.useCases)
            let second = try await DossierOperations.receivedDossier(token: token, on: app.useCases)
            #expect(second.outdated, "the link she holds is of the first version")
            #expect(second.items.count == 2)
            await #expect("a file of no dossier item") {
                try await DossierOperations.receiptFile(token: token, fileID: UUID(), on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }
}
