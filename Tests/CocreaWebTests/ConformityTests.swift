import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Manifestación de conformidad over a frozen version: reasons when not simply agreeing, changes
/// kept, closed by the facilitator, and cleared by any new version.
@Suite struct ConformityTests {
    private func frozenVersion(_ app: Application, _ fixture: Fixture) async throws -> PlanVersion {
        try await Self.frozenVersion(of: fixture.exercise.id!, on: app)
    }

    /// A bare first version, for tests about conformity rather than about freezing.
    static func frozenVersion(of exerciseID: UUID, on app: Application) async throws -> PlanVersion {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let version = PlanVersion()
            version.$exercise.id = exerciseID
            version.number = 1
            version.content = #"{"commitments":[]}"#
            version.sha256 = Hashing.sha256Hex(version.content)
            version.frozenAt = Date()
            try await version.create(on: tx)
            return version
        }
    }

    @Test(arguments: TestDatabase.all)
    func membersStateChangeAndCloseConformityWithEveryChangeKept(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let fixture = try await Fixture.make(on: app)
            let version = try await frozenVersion(app, fixture)
            let path = "/api/v1/plan-versions/\(version.id!)/conformity"
            let lucia = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)

            let noReason = try await lucia.send(.POST, path, json: #"{"stance": "disagree"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Explica el motivo de tu postura («En desacuerdo»)."))

            #expect(
                try await lucia.send(.POST, path, json: #"{"stance": "disagree", "reason": "Falta un compromiso sobre compras de medicamentos."}"#).status
                    == .created)
            clock.advance(by: 60)
            #expect(
                try await lucia.send(
                    .POST, path, json: #"{"stance": "agreeWithReservations", "reason": "Se agregó el compromiso; pedimos seguimiento trimestral."}"#
                ).status == .created)
            #expect(try await facilitator.send(.POST, path, json: #"{"stance": "agree"}"#).status == .created)
            let administrator = APIClient(app: app, token: fixture.administrator.token)
            #expect(try await administrator.send(.POST, path, json: #"{"stance": "agree"}"#).status == .forbidden, "only members state conformity")

            let record = try JSONDecoder.api.decode(ConformityRecordDTO.self, from: try await facilitator.send(.GET, path).body)
            #expect(record.history.count == 3)
            #expect(record.current.count == 2)
            #expect(record.current.first { $0.reason?.contains("trimestral") == true }?.stance == .agreeWithReservations)

            #expect(try await lucia.send(.POST, path + "/close").status == .forbidden)
            #expect(try await facilitator.send(.POST, path + "/close").status == .ok)
            let late = try await lucia.send(.POST, path, json: #"{"stance": "agree"}"#)
            #expect(late.status == .conflict)
            #expect(late.body.string.contains("conformity_closed"))
        }
    }

    @Test func memberStatesConformityThroughThePlanPage() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let version = try await frozenVersion(app, fixture)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["institution"]!.email, password: Fixture.password).status == .seeOther)
            let plan = "/exercises/\(fixture.exercise.id!)/plan"
            #expect(try await browser.get(plan).body.string.contains("Manifestación de conformidad · versión 1"))
            let missing = try await browser.post(plan + "/versions/\(version.id!)/conformity", form: [("stance", "agreeWithReservations"), ("reason", "")])
            #expect(missing.status == .unprocessableEntity)
            let stated = try await browser.post(
                plan + "/versions/\(version.id!)/conformity",
                form: [("stance", "agreeWithReservations"), ("reason", "Pedimos publicar avances cada trimestre.")])
            #expect(stated.status == .ok)
            #expect(stated.body.string.contains("De acuerdo con reservas"))
            #expect(stated.body.string.contains("Pedimos publicar avances cada trimestre."))
        }
    }

    @Test func aNewerVersionSupersedesTheOldOnesConformity() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let first = try await frozenVersion(app, fixture)
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let second = PlanVersion()
                second.$exercise.id = fixture.exercise.id!
                second.number = 2
                second.content = #"{"commitments":[1]}"#
                second.sha256 = Hashing.sha256Hex(second.content)
                second.frozenAt = Date()
                try await second.create(on: tx)
            }
            let response = try await APIClient(app: app, token: fixture.members["institution"]!.token)
                .send(.POST, "/api/v1/plan-versions/\(first.id!)/conformity", json: #"{"stance": "agree"}"#)
            #expect(response.status == .conflict)
            #expect(response.body.string.contains("version_superseded"))
        }
    }
}

/// Reading and conformity: any edit of the agreements after freezing makes a new version, whose
/// conformity starts empty; carrying the plan out (progress) does not change what was agreed.
@Suite struct RefreezeTests {
    @Test func anEditAfterFreezingMakesANewVersionAndClearsConformity() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SigningFlowTests.frozenPlan(app, closeConformity: false)
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(try await lucia.send(.POST, setup.versionPath + "/conformity", json: #"{"stance": "agree"}"#).status == .created)
            let commitment = try #require(try await Commitment.query(on: app.db).filter(\.$category == .procurement).first())
            let edited = try await setup.facilitator.send(
                .PUT, "/api/v1/commitments/\(commitment.id!)",
                json: """
                    {"title": "Contrataciones abiertas de salud y educación", "category": "procurement", "problem": "Recetas no surtidas",
                     "objective": "Surtir el 95 % de las recetas", "startsOn": "2027-01-15", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco",
                     "indicator": {"name": "Porcentaje publicado", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal de datos abiertos"},
                     "revision": \(commitment.revision)}
                    """)
            #expect(edited.status == .ok, "\(edited.body.string)")
            let versions = try await PlanVersion.query(on: app.db).sort(\.$number).all()
            #expect(versions.map(\.number) == [1, 2])
            #expect(versions[1].content.contains("Contrataciones abiertas de salud y educación"))
            let second = try JSONDecoder.api.decode(
                ConformityRecordDTO.self,
                from: try await lucia.send(.GET, "/api/v1/plan-versions/\(versions[1].id!)/conformity").body)
            #expect(second.current.isEmpty, "conformity starts again on the new version")
            let stale = try await lucia.send(.POST, setup.versionPath + "/conformity", json: #"{"stance": "agree"}"#)
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("version_superseded"))
        }
    }

    @Test func reportingProgressDoesNotChangeWhatWasAgreed() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let activity = try #require(try await Activity.query(on: app.db).first())
            let institution = APIClient(app: app, token: setup.fixture.members["institution"]!.token)
            #expect(
                try await institution.send(.POST, "/api/v1/activities/\(activity.id!)/progress", json: #"{"status": "inProgress", "progress": 30}"#).status
                    == .created)
            let again = try await setup.facilitator.send(.POST, "/api/v1/exercises/\(setup.fixture.exercise.id!)/plan/versions")
            #expect(again.status == .ok, "the same version: progress is not part of the agreement")
            #expect(try await PlanVersion.query(on: app.db).count() == 1)
        }
    }
}
