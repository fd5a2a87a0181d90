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

    @Test(arguments: TestDatabase.all)
    func dossierItemsAddedAfterTheLatestDistributionAreLate(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let exerciseID = try fixture.exercise.requireID()
            let now = app.options.now()
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                try await DossierItem(
                    exerciseID: exerciseID, kind: .problem, title: "Diagnóstico de compras de medicamentos 2025", body: "Recetas no surtidas",
                    source: "Secretaría de Salud Jalisco", contributedByMemberID: nil, contributedBy: "Dra. María Fernanda López Castañeda",
                    fileID: nil, createdAt: now.addingTimeInterval(-2 * 86_400)
                ).create(on: tx)
                try await DossierDistribution(
                    exerciseID: exerciseID, version: 1, contentSHA256: "", itemCount: 1, sentByUserID: nil, sentAt: now.addingTimeInterval(-86_400)
                ).create(on: tx)
                try await DossierItem(
                    exerciseID: exerciseID, kind: .consultationFinding, title: "Resultados de la consulta sobre abasto", body: "412 respuestas",
                    source: "Colectivo Datos Abiertos Guadalajara", contributedByMemberID: nil, contributedBy: "Lucía Hernández Paredes",
                    fileID: nil, createdAt: now
                ).create(on: tx)
            }
            let items = try await ExerciseOperations.dossierItems(of: exerciseID, on: app.useCases)
            #expect(items.map(\.item.title) == ["Diagnóstico de compras de medicamentos 2025", "Resultados de la consulta sobre abasto"])
            #expect(items.map(\.late) == [false, true], "only what came after the distribution needs another")
            #expect(try await ExerciseOperations.dossierItems(of: fixture.otherExercise.requireID(), on: app.useCases).isEmpty)
            await #expect("a file of no dossier item") {
                try await ExerciseOperations.dossierFile(UUID(), of: exerciseID, on: app.useCases)
            } throws: { isRefusal($0, .notFound) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func membersAreReadInNameOrderWithinTheirExercise(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let names = try await ExerciseOperations.members(of: fixture.exercise.requireID(), on: app.useCases).map(\.name)
            #expect(
                names == [
                    "Dra. María Fernanda López Castañeda", "Lic. Jorge Ramírez Ochoa", "Lucía Hernández Paredes", "Mtro. Tomás Aguilar Reyes",
                ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyAFailedOrInterruptedMailIsSentAgain(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let now = app.options.now()
            let (failed, pending) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let failed = Delivery(
                    exerciseID: nil, kind: "invitation", fromEmail: "cocrea@stl-jalisco.example", toEmail: "rosa.ortiz@redmujeres.example",
                    toName: "Rosa Elena Ortiz Medina", subject: "Invitación al ejercicio", message: Data(), now: now)
                failed.state = .failed
                failed.attempts = 8
                failed.lastError = "550 buzón inexistente"
                try await failed.create(on: tx)
                let pending = Delivery(
                    exerciseID: nil, kind: "invitation", fromEmail: "cocrea@stl-jalisco.example", toEmail: "lucia@datosabiertos-gdl.example",
                    toName: "Lucía Hernández Paredes", subject: "Invitación al ejercicio", message: Data(), now: now)
                try await pending.create(on: tx)
                return (failed, pending)
            }
            #expect(try await OutboxOperations.recent(on: app.useCases).count == 2)
            await #expect {
                try await OutboxOperations.retry(pending.requireID(), by: .system, on: app.useCases)
            } throws: { isRefusal($0, .deliveryNotRetryable) }
            try await OutboxOperations.retry(failed.requireID(), by: .system, on: app.useCases)
            let retried = try #require(try await Delivery.find(failed.requireID(), on: app.db))
            #expect(retried.state == .pending)
            #expect(retried.attempts == 0)
        }
    }
}
