import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// A progress report's PDF says, in the language asked, each commitment's completion on the IRM scale,
/// each activity's latest report with its evidence and verification, and in a final report the
/// «¿abrió el gobierno?» rating with its reason and the lessons learned.
@Suite struct ProgressReportPDFTests {
    static let zone = TimeZone(identifier: "America/Mexico_City")!

    static func finalReport() -> PlanProgressReport {
        let at = Date(timeIntervalSince1970: 1_815_000_000)
        let verified = PlanProgressReport.Activity(
            id: UUID(), title: "Publicar en OCDS las compras de medicamentos", responsible: "Dirección de Compras", dueOn: "2027-06-30", weight: 1,
            latest: .init(
                status: .completed, progress: 100, note: "Se publicaron las 214 compras de 2027.",
                reportedBy: "Dra. María Fernanda López Castañeda (Secretaría de Salud Jalisco)", reportedAt: at,
                evidenceUrl: "https://transparencia.jalisco.gob.mx/ocds/salud", evidenceFile: nil, verification: .verified,
                verifiedBy: "Lucía Hernández Paredes (Datos Abiertos GDL)", verifiedAt: at))
        let silent = PlanProgressReport.Activity(
            id: UUID(), title: "Tablero de abasto por unidad médica", responsible: "Dirección de Planeación", dueOn: "2027-11-30", weight: 1,
            latest: nil)
        return PlanProgressReport(
            kind: .final, number: 3, exerciseId: UUID(), exercise: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco",
            planVersionId: UUID(), planVersionNumber: 2, planSha256: String(repeating: "c", count: 64), issuedAt: at,
            issuedBy: "Lic. Jorge Ramírez Ochoa (STL Jalisco)",
            commitments: [
                PlanProgressReport.Commitment(
                    id: UUID(), title: "Contrataciones abiertas de la Secretaría de Salud", leadInstitution: "Secretaría de Salud Jalisco",
                    activities: [verified, silent],
                    openedGovernment: .init(rating: .major, reason: "Por primera vez las compras de salud se consultan completas en línea."))
            ],
            lessonsLearned: "Acordar desde la mesa qué evidencia prueba cada actividad.")
    }

    private func text(_ language: Language) async throws -> String {
        let pdf = try ProgressReportPDF.render(Self.finalReport(), sha256: String(repeating: "d", count: 64), zone: Self.zone, language: language)
        return try await Tool.output(["pdftotext", "FILE", "-"], input: pdf).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func theFinalReportSaysEachCompletionEvidenceVerificationAndRating() async throws {
        let text = try await text(.es)
        #expect(text.contains("Informe final de avance"))
        #expect(text.contains("Cumplimiento: Sustancial"), "one activity of two verified complete: 50 %")
        #expect(text.contains("Verificado por Lucía Hernández Paredes (Datos Abiertos GDL)"))
        #expect(text.contains("Publicar en OCDS las compras de medicamentos Dirección de Compras · 30/06/2027"))
        #expect(text.replacingOccurrences(of: " ", with: "").contains("https://transparencia.jalisco.gob.mx/ocds/salud"), "a table cell may wrap the link")
        #expect(text.contains("Sin reporte"))
        #expect(text.contains("¿Abrió el gobierno? Significativo"))
        #expect(text.contains("Lecciones aprendidas Acordar desde la mesa qué evidencia prueba cada actividad."))
    }

    @Test func itsWordsAreTheLanguageAsked() async throws {
        let text = try await text(.en)
        #expect(text.contains("Final progress report"))
        #expect(text.contains("Completion: Substantial"))
        #expect(text.contains("Did it open government? Major"))
        #expect(text.contains("Lessons learned"))
        #expect(!text.contains("Cumplimiento") && !text.contains("Lecciones"))
    }
}
