import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Progress reports through the API and the pages: only the facilitation issues one, only on a sealed
/// plan; anyone lists them and downloads the sealed PDF, which `/verify` recognises.
@Suite struct ProgressReportTests {
    @Test(arguments: TestDatabase.all)
    func theFacilitationIssuesAReportThatAnyoneListsDownloadsAndVerifies(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let frozen = try await SigningFlowTests.frozenPlan(app)
            let path = "/api/v1/exercises/\(frozen.fixture.exercise.id!)/progress-reports"
            let early = try await frozen.facilitator.send(.POST, path, json: #"{"kind": "interim"}"#)
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("not_sealed"))

            #expect(try await SigningFlowTests.paperCopy(frozen).status == .ok)
            let institution = APIClient(app: app, token: frozen.fixture.members["institution"]!.token)
            #expect(try await institution.send(.POST, path, json: #"{"kind": "interim"}"#).status == .forbidden)
            let unknown = try await frozen.facilitator.send(.POST, path, json: #"{"kind": "trimestral"}"#)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("validation_failed"))
            let incomplete = try await frozen.facilitator.send(.POST, path, json: #"{"kind": "final"}"#)
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.body.string.contains("final_report_incomplete"))
            #expect(try await ProgressReportRecord.query(on: app.db).count() == 0, "a refusal changes nothing")

            let issued = try await frozen.facilitator.send(.POST, path, json: #"{"kind": "interim"}"#)
            #expect(issued.status == .created, "\(issued.body.string)")
            let report = try JSONDecoder.api.decode(ProgressReportDTO.self, from: issued.body)
            #expect(report.report.commitments.count == 5)

            let anyone = APIClient(app: app, token: nil)
            let listed = try await anyone.send(.GET, "/api/v1/public/exercises/\(frozen.fixture.exercise.id!)/progress-reports")
            #expect(try JSONDecoder.api.decode([ProgressReportDTO].self, from: listed.body).map(\.id) == [report.id])
            let download = try await anyone.send(.GET, report.pdf)
            #expect(download.status == .ok)
            #expect(download.headers.contentType == .init(type: "application", subType: "pdf"))
            #expect(Hashing.sha256Hex(Data(buffer: download.body)) == report.pdfSha256)
            #expect(try await anyone.send(.GET, "/api/v1/progress-reports/\(UUID()).pdf").status == .notFound)
            #expect(try await anyone.send(.GET, "/api/v1/progress-reports/\(report.id)").status == .notFound)

            let (headers, upload) = MultipartForm.encode(
                file: (field: "file", name: "informe.pdf", type: "application/pdf", data: Array(buffer: download.body)))
            let verified = try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: upload)
            let verification = try JSONDecoder.api.decode(VerificationDTO.self, from: verified.body)
            #expect(verification.authentic && verification.progressReportId == report.id, "\(verified.body.string)")
            let page = try await Browser(app: app).get("/verify?sha256=\(report.pdfSha256)")
            #expect(page.body.string.contains("es el informe de avance 1 de «Ejercicio local de gobierno abierto Jalisco 2026»"))
            #expect(page.body.string.contains("<a href=\"\(report.pdf)\">Ver este informe de avance (PDF sellado)</a>"), "the page leads to the report")

            let published = try await Browser(app: app).get("/public/exercises/\(frozen.fixture.exercise.id!)/progress-reports")
            #expect(published.status == .ok)
            #expect(published.body.string.contains("href=\"\(report.pdf)\""))
        }
    }

    /// The page's form, as a browser without JavaScript sends it: the final report with a rating and a
    /// reason for every commitment and the lessons learned; a missing reason is said beside its field.
    @Test func theFacilitatorIssuesTheFinalReportFromThePage() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            let browser = Browser(app: app)
            let facilitator = setup.fixture.members["facilitator"]!
            _ = try await browser.signIn(email: facilitator.email, password: facilitator.password)
            let path = "/exercises/\(setup.fixture.exercise.id!)/progress-reports"
            let form = try await browser.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("<label for=\"lessonsLearned\">"))
            let commitments = try await Commitment.query(on: app.db).filter(\.$exercise.$id == setup.fixture.exercise.requireID()).all()
            var fields = [("kind", "final"), ("lessonsLearned", "Acordar la evidencia de cada actividad desde la mesa ahorró meses.")]
            for (index, commitment) in commitments.enumerated() {
                let id = try commitment.requireID().uuidString.lowercased()
                fields.append(("rating[\(id)]", "major"))
                fields.append(("reason[\(id)]", index == 0 ? "" : "La información ya se consulta en línea."))
            }
            let refused = try await browser.post(path, form: fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Falta el motivo de la valoración del compromiso «\(commitments[0].title)»."))
            #expect(refused.body.string.contains("La información ya se consulta en línea."), "what was typed stays in the form")
            #expect(try await ProgressReportRecord.query(on: app.db).count() == 0)

            fields[3].1 = "Las compras de salud se publican completas en OCDS."
            let issued = try await browser.post(path, form: fields)
            #expect(issued.status == .ok, "\(issued.body.string)")
            #expect(issued.body.string.contains("Se emitió el informe de avance 1; se envía por correo a 4 personas."))
            #expect(issued.body.string.contains("El informe final ya se emitió"))
            let record = try #require(try await ProgressReportRecord.query(on: app.db).first())
            #expect(record.kind == .final)
        }
    }
}
