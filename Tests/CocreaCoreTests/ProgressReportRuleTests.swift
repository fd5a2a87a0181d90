import CocreaCore
import Foundation
import Testing

/// A progress report freezes each commitment's completion on the IRM scale from its activities' verified
/// progress, and a final report asks the STL's «¿abrió el gobierno?» rating of every commitment.
@Suite struct ProgressReportRuleTests {
    private let reportedAt = Date(timeIntervalSince1970: 1_815_000_000)

    private func activity(_ title: String, progress: Int?, _ verification: VerificationState = .reported, weight: Int = 1) -> PlanProgressReport.Activity {
        PlanProgressReport.Activity(
            id: UUID(), title: title, responsible: "Dirección de Compras", dueOn: "2027-06-30", weight: weight,
            latest: progress.map {
                PlanProgressReport.LatestReport(
                    status: $0 == 100 ? .completed : .inProgress, progress: $0, note: "", reportedBy: "Ing. Rosa Martínez (Secretaría de Salud Jalisco)",
                    reportedAt: reportedAt, evidenceUrl: nil, evidenceFile: nil, verification: verification,
                    verifiedBy: verification == .verified ? "Lucía Hernández Paredes (Jalisco Cómo Vamos)" : nil,
                    verifiedAt: verification == .verified ? reportedAt : nil)
            })
    }

    private func commitment(_ activities: [PlanProgressReport.Activity]) -> PlanProgressReport.Commitment {
        PlanProgressReport.Commitment(
            id: UUID(), title: "Contrataciones abiertas de la Secretaría de Salud", leadInstitution: "Secretaría de Salud Jalisco", activities: activities)
    }

    @Test func aCommitmentIsCompleteOnlyOnceEveryCompletingReportIsVerified() {
        let waiting = commitment([activity("Publicar compras en OCDS", progress: 100), activity("Tablero ciudadano", progress: 100, .verified)])
        #expect(waiting.activities.map(\.counted) == [99, 100])
        #expect(waiting.progress == 99)
        #expect(waiting.completion == .substantial)
        let verified = commitment([activity("Publicar compras en OCDS", progress: 100, .verified), activity("Tablero ciudadano", progress: 100, .verified)])
        #expect(verified.completion == .complete)
    }

    @Test func theScaleReadsNoEvidenceNotStartedLimitedAndSubstantialFromTheWeightedProgress() {
        #expect(commitment([activity("Publicar compras en OCDS", progress: nil)]).completion == .noEvidence)
        #expect(commitment([activity("Publicar compras en OCDS", progress: 0)]).completion == .notStarted)
        #expect(commitment([activity("Publicar compras en OCDS", progress: 40, weight: 3), activity("Tablero", progress: nil)]).progress == 30)
        #expect(commitment([activity("Publicar compras en OCDS", progress: 40, weight: 3), activity("Tablero", progress: nil)]).completion == .limited)
        #expect(commitment([activity("Publicar compras en OCDS", progress: 80, .observed)]).completion == .substantial)
    }

    private let plan = [
        (id: UUID(), title: "Contrataciones abiertas de la Secretaría de Salud"), (id: UUID(), title: "Padrón único de beneficiarios"),
    ]

    @Test func aFinalReportNamesEachCommitmentWithoutARatingOrAReasonAndTheMissingLessons() throws {
        let incomplete = ProgressReportRequest.RatingInput(commitmentId: plan[0].id.uuidString, rating: "major", reason: nil)
        #expect {
            try ProgressReportRequest.check(kind: "final", ratings: [incomplete], lessonsLearned: " ", commitments: plan)
        } throws: { error in
            let error = error as! CocreaError
            return error.code == ErrorCode.finalReportIncomplete.rawValue
                && error.fieldErrors.map(\.message) == [
                    "Falta el motivo de la valoración del compromiso «Contrataciones abiertas de la Secretaría de Salud».",
                    "Falta la valoración «¿abrió el gobierno?» del compromiso «Padrón único de beneficiarios».",
                    "Faltan las lecciones aprendidas del plan.",
                ]
                && error.fieldErrors.last?.field == "lessonsLearned"
        }
        let complete = try ProgressReportRequest.check(
            kind: "final",
            ratings: [
                .init(commitmentId: plan[0].id.uuidString, rating: "major", reason: "Las compras de salud se consultan por primera vez en línea."),
                .init(commitmentId: plan[1].id.uuidString, rating: "marginal", reason: "El padrón se publicó sin los programas municipales."),
            ], lessonsLearned: "Acordar la evidencia de cada actividad desde la mesa.", commitments: plan)
        #expect(complete.ratings[plan[1].id] == PlanProgressReport.Rating(rating: .marginal, reason: "El padrón se publicó sin los programas municipales."))
    }

    @Test func anInterimReportTakesNoRatingAndAnUnknownValueIsRefused() {
        #expect {
            try ProgressReportRequest.check(
                kind: "interim", ratings: [.init(commitmentId: plan[0].id.uuidString, rating: "major", reason: "Avanza")], lessonsLearned: nil,
                commitments: plan)
        } throws: { ($0 as! CocreaError).fieldErrors.map(\.field) == ["ratings"] }
        #expect {
            try ProgressReportRequest.check(
                kind: "final", ratings: [.init(commitmentId: UUID().uuidString, rating: "excelente", reason: "Avanza")], lessonsLearned: nil,
                commitments: plan)
        } throws: { ($0 as! CocreaError).code == ErrorCode.validationFailed.rawValue }
        #expect(throws: CocreaError.self) { try ProgressReportRequest.check(kind: "trimestral", ratings: [], lessonsLearned: nil, commitments: plan) }
    }
}
