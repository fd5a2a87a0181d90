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

/// Progress reports at the cuts of the roadmap, without HTTP: the facilitation issues one that freezes
/// every commitment's verified completion, seals it as the PAL is, publishes it and mails it to every
/// member; the final one carries the STL's «¿abrió el gobierno?» ratings and the lessons learned.
@Suite struct ProgressReportUseCaseTests {
    static let salud = "Contrataciones abiertas de la Secretaría de Salud"

    /// The sealed plan, with the open-contracting activity reported complete (not yet verified) and the
    /// report that completes it.
    private func reportedPlan(_ app: Application) async throws -> (Fixture, UUID, ActivityUpdateDTO) {
        let setup = try await PlanDistributionTests.sealedPlan(app)
        let activity = try #require(try await Activity.query(on: app.db).with(\.$commitment).all().first { $0.commitment.title == Self.salud })
        let update = try await ProgressOperations.report(
            ProgressInput(
                status: "completed", progress: 100, note: "Se publicaron en OCDS todas las compras de 2027",
                evidenceUrl: "https://transparencia.jalisco.gob.mx/ocds/salud"),
            on: activity.requireID(), in: setup.fixture.context("institution", on: app), on: app.useCases)
        return (setup.fixture, try setup.fixture.exercise.requireID(), update)
    }

    private func text(of pdf: Data) async throws -> String {
        try await Tool.output(["pdftotext", "FILE", "-"], input: pdf).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private func pdf(of report: ProgressReportDTO, on app: Application) async throws -> Data {
        try await ProgressReportOperations.pdf(report.id, on: app.useCases).data
    }

    private func ratings(_ exerciseID: UUID, on app: Application, skipping skipped: String? = nil) async throws -> [ProgressReportInput.Rating] {
        try await ProgressOperations.publicProgress(of: exerciseID, at: app.options.now(), on: app.db).commitments
            .filter { $0.title != skipped }
            .map {
                ProgressReportInput.Rating(
                    commitmentId: $0.id.uuidString, rating: $0.title == Self.salud ? "major" : "marginal",
                    reason: "«\($0.title)»: la información ya se consulta en línea, aunque falta difundirla en los municipios.")
            }
    }

    @Test(arguments: TestDatabase.all)
    func anInterimReportFreezesEachCommitmentsVerifiedCompletionSealedAndMailedToEveryMember(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let (fixture, exerciseID, update) = try await reportedPlan(app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let deliveriesBefore = try await Delivery.query(on: app.db).count()

            let first = try await ProgressReportOperations.issue(ProgressReportInput(kind: "interim"), in: facilitator, on: app.useCases)
            #expect(first.recipients == 4)
            #expect(first.report.number == 1)
            #expect(first.report.kind == .interim)
            let salud = try #require(first.report.report.commitments.first { $0.title == Self.salud })
            #expect(salud.completion == .substantial, "complete only once civil society verified the report")
            #expect(salud.activities.first?.latest?.verification == .reported)
            #expect(salud.activities.first?.latest?.evidenceUrl == "https://transparencia.jalisco.gob.mx/ocds/salud")
            #expect(first.report.report.commitments.filter { $0.title != Self.salud }.allSatisfy { $0.completion == .noEvidence })
            #expect(first.report.sha256 == Hashing.sha256Hex(JSON.canonical(first.report.report)))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "issue").filter(\.$entityID == first.report.id).count() == 1)

            let pdf = try await pdf(of: first.report, on: app)
            #expect(Hashing.sha256Hex(pdf) == first.report.pdfSha256)
            let seal = try await Tool.output(["pdfsig", "FILE"], input: pdf)
            #expect(seal.contains("Signature is Valid"), "\(seal)")
            let text = try await text(of: pdf)
            #expect(text.contains("Informe de avance"))
            #expect(text.contains("Ejercicio local de gobierno abierto Jalisco 2026"))
            #expect(text.contains(Self.salud))
            #expect(text.contains("Cumplimiento: Sustancial"))
            #expect(text.contains("Pendiente de verificación"))
            #expect(text.contains("Sin reporte"))

            let byHash = try await VerificationOperations.verify(sha256: first.report.pdfSha256, on: app.useCases)
            #expect(byHash.authentic && byHash.progressReportId == first.report.id)
            let byFile = try await VerificationOperations.verify(file: pdf, on: app.useCases)
            #expect(byFile.authentic && byFile.progressReportId == first.report.id)
            #expect(byFile.message.contains("informe de avance 1"))
            let offline = try await VerificationOperations.offlineReport(file: pdf, certificatePEM: app.useCases.identity.certificatePEM)
            #expect(offline.authentic && offline.report.contains("SHA-256 del contenido del informe: \(first.report.sha256)"), "cocrea verify")

            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let worker = OutboxWorker(
                database: { app.db }, writer: app.writer, configuration: .init(transport: SMTPTransport(configuration: try SMTPConfiguration(url: sink.url))),
                logger: Logger(label: "test.outbox"), now: { app.options.now() })
            #expect(try await Delivery.query(on: app.db).count() == deliveriesBefore + 4)
            #expect(await worker.drain() == 4)
            let received = try await sink.waitForMessages(count: 4)
            #expect(Set(received.flatMap(\.rcptTos)).count == 4, "each member once")
            for mail in received {
                #expect(mail.subject == "Informe de avance 1 de «Ejercicio local de gobierno abierto Jalisco 2026»")
                #expect(mail.attachments.first?.data == pdf, "the attachment is the sealed file, byte for byte")
                #expect(mail.textBody?.contains("/verify?sha256=\(first.report.pdfSha256)") == true)
            }

            // Civil society verifies; the next report says so, and the first stays as it was issued.
            _ = try await ProgressVerificationOperations.judge(
                VerificationInput(verdict: "verified", reason: "Revisé el portal: están las 214 compras."), on: update.id,
                in: fixture.context("civilSociety", on: app), on: app.useCases)
            clock.advance(by: 180 * 86_400)
            let second = try await ProgressReportOperations.issue(ProgressReportInput(kind: "interim"), in: facilitator, on: app.useCases)
            #expect(second.report.number == 2)
            let verified = try #require(second.report.report.commitments.first { $0.title == Self.salud })
            #expect(verified.completion == .complete)
            #expect(verified.activities.first?.latest?.verifiedBy == "Lucía Hernández Paredes (Organización de Lucía Hernández Paredes)")
            let listed = try await ProgressReportOperations.list(of: exerciseID, on: app.useCases)
            #expect(listed.map(\.number) == [1, 2])
            #expect(listed.first?.sha256 == first.report.sha256, "an issued report never changes")
            #expect(listed.first?.report.commitments.first { $0.title == Self.salud }?.completion == .substantial)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFinalReportNeedsEveryCommitmentsRatingWithItsReasonAndTheLessonsLearned(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let (fixture, exerciseID, _) = try await reportedPlan(app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let before = (
                reports: try await ProgressReportRecord.query(on: app.db).count(), files: try await StoredFile.query(on: app.db).count(),
                mails: try await Delivery.query(on: app.db).count()
            )
            let partial = try await ratings(exerciseID, on: app, skipping: "Padrón único de beneficiarios")
            await #expect {
                try await ProgressReportOperations.issue(ProgressReportInput(kind: "final", ratings: partial), in: facilitator, on: app.useCases)
            } throws: { error in
                isRefusal(error, .finalReportIncomplete)
                    && (error as? CocreaError)?.fieldErrors.map(\.message) == [
                        "Falta la valoración «¿abrió el gobierno?» del compromiso «Padrón único de beneficiarios».",
                        "Faltan las lecciones aprendidas del plan.",
                    ]
            }
            await #expect {
                try await ProgressReportOperations.issue(
                    ProgressReportInput(kind: "interim", ratings: partial), in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .validationFailed) }
            await #expect {
                try await ProgressReportOperations.issue(
                    ProgressReportInput(kind: "final", ratings: [.init(commitmentId: UUID().uuidString, rating: "major", reason: "Mejoró")]),
                    in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .validationFailed) }
            #expect(try await ProgressReportRecord.query(on: app.db).count() == before.reports, "a refusal changes nothing")
            #expect(try await StoredFile.query(on: app.db).count() == before.files)
            #expect(try await Delivery.query(on: app.db).count() == before.mails)

            let lessons = "Acordar desde la mesa qué evidencia prueba cada actividad ahorró meses de discusión."
            let final = try await ProgressReportOperations.issue(
                ProgressReportInput(kind: "final", ratings: try await ratings(exerciseID, on: app), lessonsLearned: lessons), in: facilitator,
                on: app.useCases)
            #expect(final.report.report.lessonsLearned == lessons)
            #expect(final.report.report.commitments.first { $0.title == Self.salud }?.openedGovernment?.rating == .major)
            let text = try await text(of: try await pdf(of: final.report, on: app))
            #expect(text.contains("Informe final de avance"))
            #expect(text.contains("¿Abrió el gobierno? Significativo"))
            #expect(text.contains("¿Abrió el gobierno? Marginal"))
            #expect(text.contains("Lecciones aprendidas \(lessons)"))

            await #expect {
                try await ProgressReportOperations.issue(ProgressReportInput(kind: "interim"), in: facilitator, on: app.useCases)
            } throws: { isRefusal($0, .progressReportsClosed) }
        }
    }
}
