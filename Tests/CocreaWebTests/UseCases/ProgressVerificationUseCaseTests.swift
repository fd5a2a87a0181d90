import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Logging
import Testing
import Vapor

@testable import CocreaWeb

/// Progress verified by civil society, without HTTP: a report is «reportado» until a civil-society member
/// of the STL verifies it, or observes it with a reason the reporter answers.
@Suite struct ProgressVerificationUseCaseTests {
    /// The sealed plan, and the institution's report that completes the open-contracting activity.
    private func completedReport(_ app: Application) async throws -> (Fixture, UUID, ActivityUpdateDTO) {
        let setup = try await PlanDistributionTests.sealedPlan(app)
        let activity = try #require(
            try await Activity.query(on: app.db).with(\.$commitment).all()
                .first { $0.commitment.title == "Contrataciones abiertas de la Secretaría de Salud" })
        let report = try await ProgressOperations.report(
            ProgressInput(
                status: "completed", progress: 100, note: "Se publicaron en OCDS todas las compras de 2027",
                evidenceUrl: "https://transparencia.jalisco.gob.mx/ocds/salud"),
            on: activity.requireID(), in: setup.fixture.context("institution", on: app), on: app.useCases)
        return (setup.fixture, try setup.fixture.exercise.requireID(), report)
    }

    private func commitment(_ exerciseID: UUID, on app: Application) async throws -> PublicCommitmentDTO {
        let progress = try await ProgressOperations.publicProgress(of: exerciseID, at: app.options.now(), on: app.db)
        return try #require(progress.commitments.first { $0.title == "Contrataciones abiertas de la Secretaría de Salud" })
    }

    @Test(arguments: TestDatabase.all)
    func anActivityCountsCompleteOnlyOnceCivilSocietyVerifiedItsReport(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (fixture, exerciseID, report) = try await completedReport(app)
            #expect(report.verification == .reported)
            let before = try await commitment(exerciseID, on: app)
            #expect(before.activities.first?.status == .completed, "«Concluida» as reported")
            #expect(before.progress == 99)
            #expect(before.completion == .substantial, "not «Completo» before civil society verified it")
            let indexBefore = try await ProgressOperations.indexProgress(of: [exerciseID], on: app.db)[exerciseID]?.progress

            let verified = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "verified", reason: "Revisé el portal: están las 214 compras de enero a junio."), on: report.id,
                in: fixture.context("civilSociety", on: app), on: app.useCases)
            #expect(verified.verification == .verified)
            let after = try await commitment(exerciseID, on: app)
            #expect(after.progress == 100)
            #expect(after.completion == .complete)
            let entry = try #require(after.activities.first?.history.last?.verificationHistory.last)
            #expect(entry.step == .verified)
            #expect(entry.name == "Lucía Hernández Paredes")
            #expect(entry.sector == .civilSociety)
            #expect(try await ProgressOperations.indexProgress(of: [exerciseID], on: app.db)[exerciseID]?.progress ?? 0 > indexBefore ?? 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anObservationNeedsAReasonAndTheReporterAnswersItBeforeItIsVerified(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (fixture, exerciseID, report) = try await completedReport(app)
            let lucia = try await fixture.context("civilSociety", on: app)
            let institution = try await fixture.context("institution", on: app)
            await #expect {
                try await ProgressVerificationOperations.judge(VerificationInput(verdict: "observed", reason: "  "), on: report.id, in: lucia, on: app.useCases)
            } throws: { error in
                isRefusal(error, .validationFailed) && (error as? CocreaError)?.fieldErrors.map(\.field) == ["reason"]
            }
            await #expect {
                try await ProgressVerificationOperations.judge(VerificationInput(verdict: "aprobado"), on: report.id, in: lucia, on: app.useCases)
            } throws: { isRefusal($0, .validationFailed) }
            await #expect {
                try await ProgressVerificationOperations.answer(
                    VerificationAnswerInput(answer: "Ya están todas."), on: report.id, in: institution, on: app.useCases)
            } throws: { isRefusal($0, .reportNotObserved) }
            #expect(try await VerificationEntry.query(on: app.db).count() == 0, "a refusal changes nothing")

            let observed = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "observed", reason: "Faltan los contratos de las compras consolidadas de marzo."), on: report.id, in: lucia,
                on: app.useCases)
            #expect(observed.verification == .observed)
            let answered = try await ProgressVerificationOperations.answer(
                VerificationAnswerInput(answer: "Se publicaron el 12 de julio; están en el mismo portal."), on: report.id, in: institution,
                on: app.useCases)
            #expect(answered.verification == .answered)
            #expect(try await commitment(exerciseID, on: app).completion == .substantial, "an answer is not a verification")
            let verified = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "verified"), on: report.id, in: lucia, on: app.useCases)
            #expect(verified.verificationHistory.map(\.step) == [.observed, .answered, .verified])
            await #expect {
                try await ProgressVerificationOperations.judge(
                    VerificationInput(verdict: "observed", reason: "Otra vez"), on: report.id, in: lucia, on: app.useCases)
            } throws: { isRefusal($0, .reportAlreadyVerified) }
            #expect(try await VerificationEntry.query(on: app.db).count() == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyCivilSocietyVerifiesAndNobodyTheirOwnReport(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (fixture, _, report) = try await completedReport(app)
            for key in ["institution", "facilitator", "guarantor"] {
                await #expect {
                    try await ProgressVerificationOperations.judge(
                        VerificationInput(verdict: "verified"), on: report.id, in: fixture.context(key, on: app), on: app.useCases)
                } throws: { isRefusal($0, .forbidden) }
            }
            // Lucía also facilitates: she may report, and then may not verify what she reported.
            let lucia = try #require(try await Member.query(on: app.db).filter(\.$email == fixture.members["civilSociety"]!.email).first())
            lucia.role = .facilitator
            try await lucia.save(on: app.db)
            let context = try await fixture.context("civilSociety", on: app)
            let own = try await ProgressOperations.report(
                ProgressInput(status: "inProgress", progress: 30, note: "Mesa de seguimiento con cuidadoras"),
                on: try #require(try await Activity.query(on: app.db).with(\.$commitment).all().first { $0.commitment.title == "Sistema Estatal de Cuidados" })
                    .requireID(),
                in: context, on: app.useCases)
            await #expect {
                try await ProgressVerificationOperations.judge(VerificationInput(verdict: "verified"), on: own.id, in: context, on: app.useCases)
            } throws: { isRefusal($0, .ownReportVerification) }
            #expect(try await VerificationEntry.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachStepIsAuditedAtTheApplicationsClockAndPublishedInOpenData(database: TestDatabase) async throws {
        let clock = TestClock(ISO8601DateFormatter().date(from: "2027-07-14T16:30:00Z")!)
        try await withCocrea(database, clock: clock) { app in
            let (fixture, exerciseID, report) = try await completedReport(app)
            clock.advance(by: 3_600)
            _ = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "observed", reason: "El enlace no abre"), on: report.id, in: fixture.context("civilSociety", on: app),
                on: app.useCases)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "observed").first())
            #expect(event.entityID == report.id)
            #expect(event.occurredAt == clock.now)
            clock.advance(by: 3_600)
            _ = try await ProgressVerificationOperations.answer(
                VerificationAnswerInput(answer: "Corregimos el enlace"), on: report.id, in: fixture.context("institution", on: app), on: app.useCases)

            let rows = try await OpenDataOperations.rows(of: .progressVerifications, exercise: exerciseID, on: app.useCases)
            let columns = OpenDataset.progressVerifications.columns.map(\.name)
            let table = rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
            #expect(table.map { $0["step"] } == ["observed", "answered"])
            #expect(table.map { $0["state"] } == ["observed", "answered"])
            #expect(table.first?["name"] == "Lucía Hernández Paredes")
            #expect(table.first?["at"] == "2027-07-14T17:30:00Z")
            #expect(table.last?["sector"] == "institution")
            #expect(!rows.flatMap { $0 }.contains { $0.contains("@") }, "names, never emails")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWeeklyDigestAsksCivilSocietyToVerifyWhatWaitsAndForgetsItOnceVerified(database: TestDatabase) async throws {
        // Monday 19 July 2027, 09:00 in Guadalajara.
        let clock = TestClock(ISO8601DateFormatter().date(from: "2027-07-19T15:00:00Z")!)
        try await withCocrea(database, clock: clock) { app in
            let (fixture, _, report) = try await completedReport(app)
            let lucia = fixture.members["civilSociety"]!.email
            #expect(try await DigestOperations.sendWeekly(on: app.useCases, at: clock.now).queued == 2, "Jorge's overdue activities, Lucía's report to verify")
            _ = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "verified"), on: report.id, in: fixture.context("civilSociety", on: app), on: app.useCases)
            clock.advance(by: 7 * 86_400)
            #expect(try await DigestOperations.sendWeekly(on: app.useCases, at: clock.now).queued == 1, "only Jorge: nothing waits for Lucía")

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { clock.now })
            #expect(await worker.drain() == 3)
            let received = try await sink.waitForMessages(count: 3)
            let digest = try #require(received.first { $0.rcptTos == [lucia] })
            #expect(digest.subject == "Resumen semanal: 1 reporte por verificar")
            let text = digest.textBody ?? ""
            #expect(text.contains("POR VERIFICAR (1)"))
            #expect(text.contains("Publicar el primer conjunto de datos"))
            #expect(text.contains("Reportó Dra. María Fernanda López Castañeda (Organización de Dra. María Fernanda López Castañeda) el 19/07/2027"))
            #expect(text.contains("/plan#reporte-\(report.id.uuidString.lowercased())"))
            #expect(received.filter { $0.rcptTos == [lucia] }.count == 1)
        }
    }
}
