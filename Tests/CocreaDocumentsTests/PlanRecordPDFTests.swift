import CocreaCore
import Foundation
import Testing

@testable import CocreaDocuments

/// The record's parts of the PAL word themselves in the language asked, from facts: the same record
/// reads in Spanish and in English, with its numbers and names as they are.
@Suite struct PlanRecordPDFTests {
    static func record() -> PlanRecord {
        let zone = TimeZone(identifier: "America/Mexico_City")!
        // Jueves 12 de noviembre de 2026, 10:00 en Guadalajara.
        let held = Date(timeIntervalSince1970: 1_794_499_200)
        let rosa = PlanRecord.Person(name: "Rosa María Hernández Gómez", sector: .civilSociety, organization: "Observatorio Ciudadano de Salud")
        let jorge = PlanRecord.Person(name: "Lic. Jorge Ramírez de la Torre", sector: .institution, organization: "Secretaría de Salud Jalisco")
        return PlanRecord(
            zone: zone, frozenAt: held.addingTimeInterval(13 * 86_400), dossierSent: [held.addingTimeInterval(-12 * 86_400)],
            consultationWindows: [.init(startsOn: LocalDate(year: 2026, month: 10, day: 1), endsOn: LocalDate(year: 2026, month: 10, day: 31))],
            participants: [rosa, jorge],
            roundtables: [
                .init(
                    startsAt: held, place: "Sala de juntas del ITEI", stages: [(.introduction, held)],
                    attendees: [.init(person: rosa, presence: .present), .init(person: jorge, presence: .represented, representedBy: "Ing. Raúl Medina")],
                    interventions: [
                        .init(
                            at: held.addingTimeInterval(1_200), name: rosa.name, kind: .contribution, item: nil,
                            text: "Que el tablero muestre las recetas no surtidas.")
                    ])
            ],
            dossierItems: [.problem: 3], surveys: 1, surveyAnswers: 48, informationRequests: 212,
            requestTopics: [.init(label: "Abasto de medicamentos", requests: 57)], proposalsReceived: 9, proposalOutcomes: [.incorporated: 4],
            measurement: [
                .init(
                    commitment: "Tablero de abasto", indicator: "Recetas surtidas", baseline: "70 %", target: "95 %", meansOfVerification: "Informe mensual",
                    startsOn: LocalDate(year: 2027, month: 1, day: 1), endsOn: LocalDate(year: 2027, month: 12, day: 31))
            ])
    }

    @Test func theRecordIsWordedInTheLanguageAsked() async throws {
        var plan = PlanPDFTests.plan(commitments: 1)
        plan.record = Self.record()
        let spanish = try await PlanPDFTests.text(PlanPDF.render(plan, language: .es))
        let english = try await PlanPDFTests.text(PlanPDF.render(plan, language: .en))
        for part in [
            "Proceso de integración", "La consulta pública estuvo abierta del jueves 1 de octubre de 2026 al sábado 31 de octubre de 2026.",
            "Respuestas a encuestas 48", "Abasto de medicamentos 57", "VIII. Medición de compromisos", "IX. Anexos",
            "Anexo 1.1. Mesa de diálogo del jueves 12 de noviembre de 2026, 10:00 · Sala de juntas del ITEI", "Representada por Ing. Raúl Medina",
        ] {
            #expect(spanish.contains(part), "\(part)")
        }
        for part in [
            "Integration process", "The public consultation was open from", "Survey answers 48", "Abasto de medicamentos 57",
            "VIII. Measuring the commitments", "IX. Annexes", "Annex 1.1. Dialogue table of", "Represented by Ing. Raúl Medina",
        ] {
            #expect(english.contains(part), "\(part)")
        }
        for spanishOnly in ["Proceso de integración", "IX. Anexos", "Respuestas a encuestas", "Representada por"] {
            #expect(!english.contains(spanishOnly), "\(spanishOnly)")
        }
    }

    @Test func aPlanWithoutARecordHasNoneOfItsParts() async throws {
        let text = try await PlanPDFTests.text(PlanPDF.render(PlanPDFTests.plan(commitments: 1)))
        #expect(!text.contains("Proceso de integración"))
        #expect(!text.contains("IX. Anexos"))
    }
}
