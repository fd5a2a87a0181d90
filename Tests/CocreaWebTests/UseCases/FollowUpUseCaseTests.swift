import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Progress on the sealed plan and its public follow-up, without HTTP.
@Suite struct FollowUpUseCaseTests {
    private func sealedActivity(_ app: Application) async throws -> (SigningFlowTests.Setup, Activity) {
        let setup = try await PlanDistributionTests.sealedPlan(app)
        let activity = try #require(
            try await Activity.query(on: app.db).with(\.$commitment).all()
                .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
        return (setup, activity)
    }

    @Test(arguments: TestDatabase.all)
    func theInstitutionReportsProgressAndAnyoneSeesIt(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (setup, activity) = try await sealedActivity(app)
            let exerciseID = try setup.fixture.exercise.requireID()
            let report = ProgressInput(
                status: "inProgress", progress: 40, note: "Se publicaron las compras de enero a abril de 2027",
                evidenceUrl: "https://transparencia.jalisco.gob.mx/ocds/salud")
            _ = try await ProgressOperations.report(report, on: activity.requireID(), in: setup.fixture.context("institution", on: app), on: app.useCases)
            let progress = try await ProgressOperations.publicProgress(of: exerciseID, at: app.options.now(), on: app.db)
            let reported = try #require(progress.commitments.flatMap(\.activities).first { $0.id == activity.id })
            #expect(reported.status == .inProgress)
            #expect(reported.progress == 40)
            #expect(reported.history.map(\.note) == ["Se publicaron las compras de enero a abril de 2027"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCompletedActivityIsRefusedBelowOneHundredPercent(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (setup, activity) = try await sealedActivity(app)
            await #expect {
                try await ProgressOperations.report(
                    ProgressInput(status: "completed", progress: 60, note: "Concluida"), on: activity.requireID(),
                    in: setup.fixture.context("institution", on: app), on: app.useCases)
            } throws: { isRefusal($0, .validationFailed) }
            #expect(try await ActivityUpdate.query(on: app.db).count() == 0)
        }
    }

    /// Two reports of one activity at the same instant: the one with the greater id is the latest, for
    /// the public index, the activity's figure and the last line of its history alike.
    @Test(arguments: TestDatabase.all)
    func twoReportsAtTheSameInstantHaveOneLatestEverywhere(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (setup, activity) = try await sealedActivity(app)
            let exerciseID = try setup.fixture.exercise.requireID()
            let now = app.options.now()
            // Written with the greater id first, so insertion order and id order disagree.
            for (id, progress) in [("ffffffff-0000-4000-8000-000000000000", 60), ("00000000-0000-4000-8000-000000000000", 30)] {
                let update = ActivityUpdate()
                update.id = UUID(uuidString: id)
                update.$activity.id = try activity.requireID()
                update.status = ActivityStatus.inProgress.rawValue
                update.progress = progress
                update.note = "Avance de \(progress) % registrado en la sesión de seguimiento"
                update.reportedBy = "Dra. María Fernanda López Castañeda (Secretaría de Salud Jalisco)"
                update.reportedAt = now
                try await update.create(on: app.db)
            }
            let progress = try await ProgressOperations.publicProgress(of: exerciseID, at: now, on: app.db)
            let reported = try #require(progress.commitments.flatMap(\.activities).first { $0.id == activity.id })
            #expect(reported.progress == 60)
            #expect(reported.history.last?.progress == 60)
            let index = try await ProgressOperations.indexProgress(of: [exerciseID], on: app.db)
            #expect(index[exerciseID]?.progress == progress.progress)
        }
    }
}
