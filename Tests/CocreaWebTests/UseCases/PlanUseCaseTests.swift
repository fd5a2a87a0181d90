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
    func anActivityIsAddedOnlyToACommitmentOfTheExerciseItActsIn(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let jalisco = try await fixture.context("facilitator", on: app)
            let commitment = try await CommitmentOperations.create(Self.openProcurement, in: jalisco, on: app.useCases)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == fixture.memberOfOther.email).first())
            let ernesto = try #require(try await Member.query(on: app.db).filter(\.$user.$id == user.requireID()).first())
            let oaxaca = ExerciseContext(
                exercise: fixture.otherExercise, user: user, member: ernesto,
                access: Access(isInstanceAdministrator: false, role: ernesto.role, sector: ernesto.sector))
            await #expect {
                try await CommitmentOperations.addActivity(
                    ActivityInput(title: "Capacitar a las unidades compradoras", dueOn: "2027-05-29"), to: commitment.requireID(), in: oaxaca,
                    on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
            #expect(try await Activity.query(on: app.db).count() == 0, "Oaxaca's facilitator names a commitment of Jalisco")
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

    @Test(arguments: TestDatabase.all)
    func anActivityEditedOnAnOlderRevisionIsRefusedAndKept(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let commitment = try await CommitmentOperations.create(Self.openProcurement, in: facilitator, on: app.useCases)
            let activity = try await CommitmentOperations.addActivity(
                ActivityInput(
                    title: "Publicar el primer conjunto de datos", responsible: "Lic. Jorge Ramírez Ochoa", responsibleInstitution: "STL Jalisco",
                    dueOn: "2027-03-31"),
                to: commitment.requireID(), in: facilitator, on: app.useCases)
            let edit = ActivityInput(
                title: "Publicar las compras del primer trimestre", responsible: "Lic. Jorge Ramírez Ochoa", responsibleInstitution: "STL Jalisco",
                dueOn: "2027-04-30", revision: 1)
            let edited = try await CommitmentOperations.updateActivity(activity.requireID(), with: edit, in: facilitator, on: app.useCases)
            #expect(edited.revision == 2)
            #expect(edited.title == "Publicar las compras del primer trimestre")
            var stale = edit
            stale.title = "Publicar nada"
            await #expect {
                try await CommitmentOperations.updateActivity(activity.requireID(), with: stale, in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .revisionConflict) }
            await #expect {
                try await CommitmentOperations.deleteActivity(activity.requireID(), revision: 1, in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .revisionConflict) }
            #expect(try await Activity.find(activity.requireID(), on: app.db)?.title == "Publicar las compras del primer trimestre")
            try await CommitmentOperations.deleteActivity(activity.requireID(), revision: 2, in: facilitator, on: app.useCases)
            #expect(try await Activity.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWorkspaceReadsACommitmentWithTheNationalCommitmentItAlignsWith(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            // Every installation ships the national plans' catalogues.
            let all = try await CommitmentOperations.nationalCommitments(plan: nil, on: app.useCases)
            let aligned = try await CommitmentOperations.nationalCommitments(plan: "2016-2018", on: app.useCases)
            #expect(Set(all.map(\.plan)).count > 1)
            #expect(!aligned.isEmpty && aligned.allSatisfy { $0.plan == "2016-2018" })
            #expect(aligned.count == all.filter { $0.plan == "2016-2018" }.count)
            #expect(try await CommitmentOperations.nationalPlans(on: app.useCases) == Set(all.map(\.plan)).sorted())
            let national = try #require(aligned.first { !$0.isAxis })
            var input = Self.openProcurement
            input.category = "nationalPlan"
            input.nationalCommitmentId = try national.requireID()
            let commitment = try await CommitmentOperations.create(input, in: facilitator, on: app.useCases)
            let read = try await CommitmentOperations.readWithOrigin(commitment.requireID(), on: app.useCases)
            #expect(read.origin?.nationalCommitment?.code == national.code)
            let listed = try await CommitmentOperations.listWithOrigins(fixture.exercise.requireID(), on: app.useCases)
            #expect(listed.map(\.origin) == [read.origin])
            await #expect {
                try await CommitmentOperations.readWithOrigin(UUID(), on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPlanVersionIsReadInOrderAndAsTheOGPTemplate(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = try fixture.exercise.requireID()
            // Written newest first: the list's order is the versions' numbers, not the rows'.
            let (second, first) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                var versions: [PlanVersion] = []
                for number in [2, 1] {
                    let version = PlanVersion()
                    version.$exercise.id = exerciseID
                    version.number = number
                    version.content = PlanVersionOperations.canonical(exercise: ExerciseDTO(fixture.exercise), commitments: [])
                    version.sha256 = Hashing.sha256Hex(version.content)
                    version.frozenAt = app.options.now()
                    try await version.create(on: tx)
                    versions.append(version)
                }
                return (versions[0], versions[1])
            }
            #expect(try await PlanVersionOperations.versions(of: exerciseID, on: app.useCases).map(\.id) == [first.id, second.id])
            #expect(try await PlanVersionOperations.versions(of: fixture.otherExercise.requireID(), on: app.useCases).isEmpty)
            let document = try await OGPTemplateOperations.document(ofVersion: first.requireID(), on: app.useCases)
            #expect(document.name == "pal-v1-plantilla-aga.docx")
            #expect(try await OGPTemplateOperations.template(ofVersion: first.requireID(), on: app.useCases).versionNumber == 1)
            await #expect {
                try await OGPTemplateOperations.template(ofVersion: UUID(), on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }
}
