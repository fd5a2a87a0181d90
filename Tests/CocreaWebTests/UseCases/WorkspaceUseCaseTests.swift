import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The workspace's use cases called as the controllers call them, without HTTP.
@Suite struct WorkspaceUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func aFacilitatorInvitesAMemberAndTheInvitationIsQueued(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let rosa = MemberInput.Valid(
                name: "Rosa Elena Ortiz Medina", email: "rosa.ortiz@redmujeres.example",
                organization: "Red de Mujeres por la Transparencia A.C.", sector: .civilSociety, role: .member)
            let member = try await ExerciseOperations.invite(rosa, to: fixture.context("facilitator", on: app), on: app.useCases)
            #expect(member.sector == .civilSociety)
            #expect(try await User.query(on: app.db).filter(\.$email == rosa.email).count() == 1, "her account is made with the invitation")
            let invitation = try #require(try await Delivery.query(on: app.db).filter(\.$kind == "invitation").first())
            #expect(invitation.toEmail == rosa.email)
            #expect(invitation.subject.contains("Ejercicio local de gobierno abierto Jalisco 2026"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPersonIsAMemberOfAnExerciseOnlyOnce(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let lucia = MemberInput.Valid(
                name: "Lucía Hernández Paredes", email: "lucia@datosabiertos-gdl.example",
                organization: "Colectivo Datos Abiertos Guadalajara", sector: .civilSociety, role: .member)
            let members = try await Member.query(on: app.db).count()
            await #expect {
                try await ExerciseOperations.invite(lucia, to: fixture.context("facilitator", on: app), on: app.useCases)
            } throws: { isRefusal($0, .memberExists) }
            #expect(try await Member.query(on: app.db).count() == members)
            #expect(try await Delivery.query(on: app.db).count() == 0, "nobody is invited twice")
        }
    }
}
