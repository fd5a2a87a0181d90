import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The open data of an exercise, read through its use cases without HTTP.
@Suite struct OpenDataUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func anExercisesOpenDataIsPrivateWorkUntilItsPlanIsSealedThenEveryDatasetHasTheColumnsItsDictionaryDeclares(
        database: TestDatabase
    ) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let exerciseID = try setup.fixture.exercise.requireID()
            for dataset in OpenDataset.allCases {
                await #expect("\(dataset.rawValue) before sealing") {
                    try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: app.useCases)
                } throws: { isRefusal($0, .notPublic) }
            }
            await #expect { try await OpenDataOperations.description(of: exerciseID, on: app.useCases) } throws: { isRefusal($0, .notPublic) }
            await #expect { try await OpenDataOperations.requirePublic(exerciseID, on: app.useCases) } throws: { isRefusal($0, .notPublic) }
            #expect(try await OpenDataOperations.catalogue(on: app.useCases).isEmpty, "the catalogue lists no unsealed exercise")

            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)
            try await OpenDataOperations.requirePublic(exerciseID, on: app.useCases)
            for dataset in OpenDataset.allCases {
                let rows = try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: app.useCases)
                #expect(rows.allSatisfy { $0.count == dataset.columns.count }, "\(dataset.rawValue): every row has its declared columns")
            }
            let commitments = try await OpenDataOperations.rows(of: .commitments, exercise: exerciseID, on: app.useCases)
            let sealedTitles = try await Commitment.query(on: app.db).filter(\.$exercise.$id == exerciseID).all().map(\.title)
            #expect(Set(commitments.map { $0[1] }) == Set(sealedTitles), "one row per sealed commitment, by its title")
            let signatures = try await OpenDataOperations.rows(of: .signatures, exercise: exerciseID, on: app.useCases)
            let members = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).count()
            #expect(signatures.count == members, "every member signed the paper copy")

            let described = try await OpenDataOperations.description(of: exerciseID, on: app.useCases)
            #expect(described.name == setup.fixture.exercise.name)
            let guarantors = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).filter(\.$sector == .guarantor).all()
            #expect(described.publishers == Array(Set(guarantors.map(\.organization))).sorted(), "the guarantor publishes it")
            #expect(try await OpenDataOperations.catalogue(on: app.useCases).map(\.id) == [exerciseID])
        }
    }

    /// The process is public from publication, so its open data is too: the roadmap and the co-creation
    /// figures at once, the plan's datasets without rows until a version is sealed (this plan is frozen,
    /// not sealed), and the DCAT catalogue lists it; a draft's open data stays private.
    @Test(arguments: TestDatabase.all)
    func aPublishedExercisesOpenDataIsServedBeforeItsPlanIsSealedAndADraftsStaysPrivate(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let (fixture, exerciseID) = (setup.fixture, try setup.fixture.exercise.requireID())
            let draftID = try fixture.otherExercise.requireID()
            let facilitator = try await fixture.context("facilitator", on: app)
            let publication = try await PublicationOperations.publish(facilitator, on: app.useCases)
            let kickoff = try #require(LocalDate("2027-01-20"))
            _ = try await PublicationOperations.replaceRoadmap(
                [RoadmapEntry(kind: .kickoff, title: "Evento de arranque en Guadalajara", startsOn: kickoff, endsOn: kickoff, place: "Auditorio del ITEI")],
                in: facilitator, on: app.useCases)

            try await OpenDataOperations.requirePublic(exerciseID, on: app.useCases)
            let roadmap = try await OpenDataOperations.rows(of: .roadmap, exercise: exerciseID, on: app.useCases)
            #expect(roadmap.map { $0[2] } == ["Evento de arranque en Guadalajara"])
            #expect(try await !OpenDataOperations.rows(of: .cocreationFigures, exercise: exerciseID, on: app.useCases).isEmpty)
            for dataset in [OpenDataset.commitments, .activities, .progressHistory, .progressVerifications, .progressReports, .conformity, .signatures] {
                let rows = try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: app.useCases)
                #expect(rows.isEmpty, "\(dataset.rawValue): nothing of a plan not yet sealed")
            }
            let described = try await OpenDataOperations.description(of: exerciseID, on: app.useCases)
            #expect(abs(described.issued.timeIntervalSince(publication.publishedAt)) < 1, "issued when published")
            #expect(described.modified >= described.issued)
            #expect(try await OpenDataOperations.catalogue(on: app.useCases).map(\.id) == [exerciseID], "the published exercise, not the draft")

            for dataset in OpenDataset.allCases {
                await #expect("\(dataset.rawValue) of a draft") {
                    try await OpenDataOperations.rows(of: dataset, exercise: draftID, on: app.useCases)
                } throws: { isRefusal($0, .notPublic) }
            }
            await #expect { try await OpenDataOperations.description(of: draftID, on: app.useCases) } throws: { isRefusal($0, .notPublic) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyIssuedProgressReportIsOneRowPerCommitmentAndItsVerificationsAndReportsDateTheOpenData(
        database: TestDatabase
    ) async throws {
        let clock = TestClock(ISO8601DateFormatter().date(from: "2027-07-14T16:30:00Z")!)
        try await withCocrea(database, clock: clock) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            let (fixture, exerciseID) = (setup.fixture, try setup.fixture.exercise.requireID())
            let activity = try #require(
                try await Activity.query(on: app.db).with(\.$commitment).all().first { $0.commitment.title == ProgressReportUseCaseTests.salud })
            clock.advance(by: 3_600)
            let update = try await ProgressOperations.report(
                ProgressInput(
                    status: "completed", progress: 100, note: "Se publicaron en OCDS todas las compras de 2027",
                    evidenceUrl: "https://transparencia.jalisco.gob.mx/ocds/salud"),
                on: activity.requireID(), in: fixture.context("institution", on: app), on: app.useCases)
            clock.advance(by: 3_600)
            let facilitator = try await fixture.context("facilitator", on: app)
            let interim = try await ProgressReportOperations.issue(ProgressReportInput(kind: "interim"), in: facilitator, on: app.useCases).report
            clock.advance(by: 3_600)
            _ = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "verified", reason: "Revisé el portal: están las 214 compras de enero a junio."), on: update.id,
                in: fixture.context("civilSociety", on: app), on: app.useCases)
            #expect(try await OpenDataOperations.description(of: exerciseID, on: app.useCases).modified == clock.now, "dated by the verification")

            clock.advance(by: 3_600)
            let commitments = try await ProgressOperations.publicProgress(of: exerciseID, at: clock.now, on: app.db).commitments
            let ratings = commitments.map {
                ProgressReportInput.Rating(
                    commitmentId: $0.id.uuidString, rating: $0.title == ProgressReportUseCaseTests.salud ? "major" : "marginal",
                    reason: "«\($0.title)»: la información ya se consulta en línea, aunque falta difundirla en los municipios.")
            }
            let final = try await ProgressReportOperations.issue(
                ProgressReportInput(
                    kind: "final", ratings: ratings, lessonsLearned: "Las dependencias necesitan un enlace de datos abiertos desde el inicio."),
                in: facilitator, on: app.useCases
            ).report
            #expect(try await OpenDataOperations.description(of: exerciseID, on: app.useCases).modified == clock.now, "dated by the final report")

            let rows = try await OpenDataOperations.rows(of: .progressReports, exercise: exerciseID, on: app.useCases)
            let table = OpenDataset.progressReports.objects(rows)
            #expect(rows.allSatisfy { $0.count == OpenDataset.progressReports.columns.count })
            #expect(table.count == 2 * commitments.count, "one row per report and commitment")
            let first = table.filter { $0["progressReportId"] == interim.id.uuidString.lowercased() }
            let last = table.filter { $0["progressReportId"] == final.id.uuidString.lowercased() }
            #expect(first.count == commitments.count && last.count == commitments.count)
            #expect(first.allSatisfy { $0["number"] == "1" && $0["kind"] == "interim" && $0["reportSha256"] == interim.sha256 })
            #expect(first.allSatisfy { $0["issuedAt"] == "2027-07-14T18:30:00Z" && $0["openedGovernment"] == "" && $0["openedGovernmentReason"] == "" })
            #expect(first.first { $0["commitment"] == ProgressReportUseCaseTests.salud }?["completion"] == "substantial", "not yet verified")
            let salud = try #require(last.first { $0["commitment"] == ProgressReportUseCaseTests.salud })
            #expect(salud["number"] == "2" && salud["kind"] == "final" && salud["reportSha256"] == final.sha256)
            #expect(salud["completion"] == "complete" && salud["progress"] == "100")
            #expect(salud["openedGovernment"] == "major")
            #expect(salud["openedGovernmentReason"]?.hasPrefix("«\(ProgressReportUseCaseTests.salud)»: la información ya se consulta") == true)
            #expect(salud["pdfUrl"] == app.options.baseURL + ProgressReportOperations.pdfPath(of: final.id))
            #expect(!rows.flatMap { $0 }.contains { $0.contains("@") }, "no email")
        }
    }
}
