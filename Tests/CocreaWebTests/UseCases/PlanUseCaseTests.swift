import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The agreements: commitments, their activities and the frozen plan, without HTTP.
@Suite struct PlanUseCaseTests {
    static let openProcurement = CommitmentInput(
        title: "Contrataciones abiertas de la Secretaría de Salud", problem: "Recetas no surtidas",
        objective: "Publicar cada compra de medicamentos en OCDS", startsOn: "2027-01-15", endsOn: "2027-12-15",
        leadInstitution: "Secretaría de Salud Jalisco",
        indicator: IndicatorDTO(name: "Compras publicadas", baseline: "0 %", target: "100 %", meansOfVerification: "Portal de datos abiertos"),
        category: "procurement")

    @Test(arguments: TestDatabase.all)
    func aFacilitatorAgreesACommitmentWithItsActivity(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let commitment = try await CommitmentOperations.create(Self.openProcurement, in: facilitator, on: app.useCases)
            _ = try await CommitmentOperations.addActivity(
                ActivityInput(
                    title: "Publicar el primer conjunto de datos", responsible: "Lic. Jorge Ramírez Ochoa", responsibleInstitution: "STL Jalisco",
                    dueOn: "2027-03-31"),
                to: commitment.requireID(), in: facilitator, on: app.useCases)
            let plan = try await CommitmentOperations.list(fixture.exercise.requireID(), on: app.db)
            #expect(plan.map(\.title) == ["Contrataciones abiertas de la Secretaría de Salud"])
            #expect(plan.first?.activities.map(\.title) == ["Publicar el primer conjunto de datos"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPlanThatMissesItsRulesIsNotFrozen(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            _ = try await CommitmentOperations.create(Self.openProcurement, in: facilitator, on: app.useCases)
            await #expect {
                try await PlanVersionOperations.freeze(facilitator, on: app.useCases)
            } throws: { isRefusal($0, .planInvalid) }
            #expect(try await PlanVersion.query(on: app.db).count() == 0, "one commitment of the five Q1 asks for")
        }
    }
    @Test(arguments: TestDatabase.all)
    func conformityIsRefusedToWhoeverMissedTheLatestMesa(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = try fixture.exercise.requireID()
            let jorge = try await fixture.context("facilitator", on: app)
            let lucia = try await fixture.context("civilSociety", on: app)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: exerciseID, startsAt: app.options.now().addingTimeInterval(-86_400), place: "Sala Juárez, Guadalajara")
                try await table.create(on: tx)
                for (person, presence) in [(jorge, Presence.present), (lucia, .absent)] {
                    try await Attendance(roundtableID: table.requireID(), memberID: person.member!.requireID(), presence: presence, representedBy: nil)
                        .create(on: tx)
                }
            }
            let version = try await ConformityTests.frozenVersion(of: exerciseID, on: app)
            await #expect {
                try await ConformityOperations.state(ConformityInput(stance: "agree"), on: version, in: lucia, on: app.useCases)
            } throws: { isRefusal($0, .notPresent) }
            _ = try await ConformityOperations.state(ConformityInput(stance: "agree"), on: version, in: jorge, on: app.useCases)
            #expect(try await Conformity.query(on: app.db).all().map(\.$member.id) == [try jorge.member!.requireID()], "only who was at the table")
        }
    }
}
