import CocreaCore
import Foundation
import Testing

/// The quality review before freezing: verifiable, relevant to the OGP values, potential for results.
@Suite struct PlanQualityTests {
    static func commitment(
        objective: String = "Que las personas usuarias de los centros de salud sepan qué medicamentos hay y a qué precio se compraron",
        baseline: String = "12 % (2025)", target: String = "100 % (2027)", means: String = "Portal de contrataciones abiertas de Jalisco",
        reasons: [String] = ["Cada contrato queda publicado con sus anexos."],
        activities: [QualityCommitment.Activity] = [
            .init(
                title: "Publicar el padrón de proveedores", startsOn: LocalDate("2027-02-01"), dueOn: LocalDate("2027-03-31"),
                deliverable: "Padrón en datos abiertos")
        ]
    ) -> QualityCommitment {
        QualityCommitment(
            id: UUID(), title: "Contrataciones abiertas de medicamentos", objective: objective, indicatorBaseline: baseline,
            indicatorTarget: target, indicatorMeansOfVerification: means, ogpReasons: reasons, activities: activities)
    }

    @Test func aVerifiableRelevantCommitmentThatPromisesAChangeHasNoWarnings() {
        #expect(PlanQuality.warnings(in: [Self.commitment()]).isEmpty)
    }

    @Test func eachMissingPieceOfTheIndicatorIsNamedByItsField() {
        let warnings = PlanQuality.warnings(in: [Self.commitment(baseline: " ", target: "", means: "")])
        #expect(warnings.map(\.field) == ["indicator.baseline", "indicator.target", "indicator.meansOfVerification"])
        #expect(warnings.map(\.code) == ["baseline_missing", "target_missing", "means_of_verification_missing"])
        #expect(warnings[0].message == "«Contrataciones abiertas de medicamentos»: sin línea base del indicador no se puede verificar cuánto cambió.")
    }

    @Test func everyActivityNeedsItsDeliverableAndBothDates() {
        let warnings = PlanQuality.warnings(in: [
            Self.commitment(activities: [
                .init(title: "Capacitar a las unidades compradoras", startsOn: nil, dueOn: LocalDate("2027-04-30"), deliverable: ""),
                .init(title: "Publicar el primer corte", startsOn: LocalDate("2027-02-01"), dueOn: LocalDate("2027-03-31"), deliverable: "Corte en OCDS"),
            ])
        ])
        #expect(warnings.map(\.code) == ["activity_deliverable_missing", "activity_dates_missing"])
        #expect(warnings.allSatisfy { $0.message.contains("«Capacitar a las unidades compradoras»") })
    }

    @Test func aValueWithoutItsWhyDoesNotMakeACommitmentRelevant() {
        #expect(PlanQuality.warnings(in: [Self.commitment(reasons: [])]).map(\.field) == ["ogpValues"])
        #expect(PlanQuality.warnings(in: [Self.commitment(reasons: ["", "  "])]).map(\.code) == ["ogp_value_missing"])
        #expect(PlanQuality.warnings(in: [Self.commitment(reasons: ["", "Colectivos de pacientes revisan los contratos."])]).isEmpty)
    }

    @Test(arguments: [
        ("Publicar la información.", false),
        ("Publicar los contratos públicos de obra en datos abiertos", false),
        ("", false),
        ("Que las personas usuarias sepan qué medicamentos se compraron", true),
        ("Reducir el tiempo de espera de las familias en las ventanillas del registro civil", true),
        ("Que la ciudadanía de Zapopan pueda vigilar cada obra de su colonia", true),
    ])
    func anObjectiveStatesAChangeOnlyWhenItNamesWhomAndWhatChanges(objective: String, statesAChange: Bool) {
        #expect(PlanQuality.statesAChangeForPeople(objective) == statesAChange)
        let codes = PlanQuality.warnings(in: [Self.commitment(objective: objective)]).map(\.code)
        #expect(codes == (statesAChange ? [] : ["objective_output_only"]))
    }
}
