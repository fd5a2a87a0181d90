import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// At an open table: attendance, and each actor's doubts and contributions on the dossier.
@Suite struct TableRecordTests {
    @Test(arguments: TestDatabase.all)
    func attendanceAndInterventionsAreRecordedOnlyWhileTheTableIsInSession(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let (table, lucia, item) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: fixture.exercise.id!, startsAt: Date(), place: "Sala del ITEI")
                try await table.create(on: tx)
                let lucia = try await Member.query(on: tx).filter(\.$email == fixture.members["civilSociety"]!.email).first()!
                let item = DossierItem(
                    exerciseID: fixture.exercise.id!, kind: .problem, title: "Desabasto de medicamentos", body: "Recetas incompletas",
                    source: "", contributedByMemberID: nil, contributedBy: "ITEI", fileID: nil, createdAt: Date())
                try await item.create(on: tx)
                return (table, lucia, item)
            }
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let member = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            let base = "/api/v1/roundtables/\(table.id!)"
            let early = try await member.send(.POST, base + "/interventions", json: #"{"kind": "doubt", "text": "¿Quién publica el inventario?"}"#)
            #expect(early.status == .conflict, "not before the table opens")

            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let fresh = try await Roundtable.find(table.id, on: tx)!
                fresh.stage = .analysis
                try await fresh.save(on: tx)
            }
            let represented = try await facilitator.send(.POST, base + "/attendance", json: #"{"memberId": "\#(lucia.id!)", "presence": "represented"}"#)
            #expect(represented.status == .unprocessableEntity, "who represents is required")
            #expect(
                try await facilitator.send(
                    .POST, base + "/attendance",
                    json: #"{"memberId": "\#(lucia.id!)", "presence": "represented", "representedBy": "Ana Ruiz, Colectivo Datos Abiertos"}"#
                ).status == .ok)
            #expect(try await facilitator.send(.POST, base + "/attendance", json: #"{"memberId": "\#(lucia.id!)", "presence": "present"}"#).status == .ok)
            let attendance = try JSONDecoder.api.decode([AttendanceDTO].self, from: try await member.send(.GET, base + "/attendance").body)
            #expect(attendance.map(\.presence) == [.present], "one row per member, the latest state")
            #expect(try await member.send(.POST, base + "/attendance", json: #"{"presence": "present"}"#).status == .forbidden)

            let own = try await member.send(
                .POST, base + "/interventions", json: #"{"kind": "doubt", "dossierItemId": "\#(item.id!)", "text": "¿Quién publica el inventario?"}"#)
            #expect(own.status == .created)
            #expect(try JSONDecoder.api.decode(InterventionDTO.self, from: own.body).memberId == lucia.id)
            let others = try await Member.query(on: app.db).filter(\.$email == fixture.members["institution"]!.email).first()!
            let onBehalf = try await member.send(
                .POST, base + "/interventions", json: #"{"memberId": "\#(others.id!)", "kind": "contribution", "text": "Otra voz"}"#)
            #expect(onBehalf.status == .forbidden, "a member speaks only for themself")
            #expect(
                try await facilitator.send(
                    .POST, base + "/interventions",
                    json: #"{"memberId": "\#(others.id!)", "kind": "contribution", "text": "Publicaremos el inventario cada mes."}"#
                ).status == .created)
            let listed = try JSONDecoder.api.decode([InterventionDTO].self, from: try await member.send(.GET, base + "/interventions").body)
            #expect(listed.map(\.kind) == [.doubt, .contribution])
        }
    }
}
