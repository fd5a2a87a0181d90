import CocreaCore
import Foundation
import Testing

/// Rules Q1, Q2, Q3 and A1, one test per rule and edge, on realistic commitments.
@Suite struct PlanCheckTests {
    static func activity(
        _ title: String, due: String?, responsible: String = "Mtra. Adriana Velázquez Ruiz",
        institution: String = "ITEI"
    ) -> PlanCommitment.Activity {
        .init(id: UUID(), title: title, responsible: responsible, responsibleInstitution: institution, dueOn: due.flatMap(LocalDate.init))
    }

    static func commitment(
        _ title: String, _ category: CommitmentCategory, national: Bool = false, problem: Bool = false,
        starts: String = "2027-01-15", ends: String = "2027-12-15",
        activities: [PlanCommitment.Activity]? = nil
    ) -> PlanCommitment {
        PlanCommitment(
            id: UUID(), title: title, category: category, linkedToNationalPlan: national, linkedToDossierProblem: problem,
            startsOn: LocalDate(starts), endsOn: LocalDate(ends), indicatorName: "Contratos publicados en datos abiertos",
            indicatorBaseline: "0 %", indicatorTarget: "100 %", indicatorMeansOfVerification: "Portal de datos abiertos",
            activities: activities ?? [activity("Publicar el primer conjunto de datos", due: "2027-03-31")])
    }

    static let validPlan = [
        commitment("Contrataciones abiertas de la Secretaría de Salud", .procurement),
        commitment("Sistema Nacional de Cuidados en el ámbito estatal", .nationalPlan, national: true),
        commitment("Padrón único de beneficiarios de programas sociales", .nationalPlan, national: true),
        commitment("Inventario mensual de medicamentos en datos abiertos", .local, problem: true),
        commitment("Tablero de tiempos de espera en ventanillas", .local, problem: true),
    ]

    @Test func validPlanHasNoProblems() {
        #expect(PlanCheck.problems(in: Self.validPlan).isEmpty)
    }

    @Test func planNeedsOneProcurementCommitment() {
        let plan = Array(Self.validPlan.dropFirst())
        #expect(PlanCheck.problems(in: plan).map(\.code) == ["procurement_missing"])
        #expect(PlanCheck.problems(in: plan).first?.rule == "Q1")
    }

    @Test func planNeedsTwoNationalPlanCommitmentsLinkedToTheCatalogue() {
        var plan = Self.validPlan
        plan[2].linkedToNationalPlan = false
        let problems = PlanCheck.problems(in: plan)
        #expect(problems.map(\.code) == ["national_link_missing", "national_plan_missing"])
        #expect(problems[0].commitmentId == plan[2].id, "points at the commitment to fix")
        #expect(problems[1].message.contains("hay 1"))
    }

    @Test func planNeedsTwoLocalCommitmentsLinkedToADossierProblem() {
        let plan = Array(Self.validPlan.prefix(4))
        let problems = PlanCheck.problems(in: plan)
        #expect(problems.map(\.code) == ["local_missing"])
        #expect(problems[0].rule == "Q3")
    }

    @Test func oneCommitmentCountsForOneCategoryOnly() {
        let plan = [Self.commitment("Todo en uno", .procurement, national: true, problem: true)]
        #expect(Set(PlanCheck.problems(in: plan).map(\.code)) == ["national_plan_missing", "local_missing"])
    }

    @Test func commitmentWithoutActivitiesIsReported() {
        var plan = Self.validPlan
        plan[0].activities = []
        #expect(PlanCheck.problems(in: plan).map(\.code) == ["activities_missing"])
    }

    @Test func activityNeedsResponsibleAndDueDate() {
        var plan = Self.validPlan
        plan[3].activities = [Self.activity("Capacitar al personal", due: nil, responsible: "")]
        #expect(PlanCheck.problems(in: plan).map(\.code) == ["activity_responsible_missing", "activity_due_missing"])
    }

    @Test func activityDueOutsideTheSpanIsReportedEvenByOneDay() {
        var plan = Self.validPlan
        plan[1].activities = [Self.activity("Último día", due: "2027-12-15"), Self.activity("Un día tarde", due: "2027-12-16")]
        let problems = PlanCheck.problems(in: plan)
        #expect(problems.map(\.code) == ["activity_due_outside"])
        #expect(problems[0].message.contains("Un día tarde"))
    }

    @Test func spanOfExactlyOneYearIsAllowedAndOneDayMoreIsNot() {
        var plan = Self.validPlan
        plan[0] = Self.commitment("Contrataciones abiertas", .procurement, starts: "2027-01-15", ends: "2028-01-15")
        #expect(PlanCheck.problems(in: plan).isEmpty)
        plan[0] = Self.commitment("Contrataciones abiertas", .procurement, starts: "2027-01-15", ends: "2028-01-16")
        #expect(PlanCheck.problems(in: plan).map(\.code) == ["span_too_long"])
    }

    @Test func leapDayStartEndsOnTheLastOfFebruary() {
        #expect(LocalDate(year: 2028, month: 2, day: 29).addingYears(1) == LocalDate(year: 2029, month: 2, day: 28))
    }

    @Test func incompleteIndicatorIsReported() {
        var plan = Self.validPlan
        plan[4].indicatorTarget = "  "
        #expect(PlanCheck.problems(in: plan).map(\.code) == ["indicator_missing"])
    }

    @Test func everyUnmetRuleIsListedAtOnce() {
        #expect(Set(PlanCheck.problems(in: []).map(\.rule)) == ["Q1", "Q2", "Q3"])
    }
}
