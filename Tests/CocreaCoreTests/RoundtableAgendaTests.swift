import CocreaCore
import Testing

/// The table's agenda runs in order, one stage at a time, and opening it is when rule D10 is checked again.
@Suite struct RoundtableAgendaTests {
    func refusal(from stage: RoundtableStage, cancelled: Bool = false, to requested: RoundtableStage) -> CocreaError? {
        do {
            _ = try RoundtableAgenda.advance(from: stage, cancelled: cancelled, to: requested)
            return nil
        } catch {
            return error
        }
    }

    @Test func theAgendaRunsFromIntroductionToFollowUpOneStageAtATime() throws {
        var stage = RoundtableStage.scheduled
        var visited: [RoundtableStage] = []
        while let next = stage.next {
            stage = try RoundtableAgenda.advance(from: stage, cancelled: false, to: next).stage
            visited.append(stage)
        }
        #expect(visited == [.introduction, .analysis, .agreements, .followUp, .closed])
    }

    @Test func skippingAStageIsRefusedNamingTheNextOne() throws {
        let refused = try #require(refusal(from: .introduction, to: .agreements))
        #expect(refused.code == ErrorCode.stageOutOfOrder.rawValue)
        #expect(refused.message == "La mesa está en «Introducción»; la etapa siguiente es «Análisis de la problemática y soluciones».")
        #expect(refusal(from: .agreements, to: .analysis)?.code == ErrorCode.stageOutOfOrder.rawValue)
    }

    @Test func aConcludedTableHasNoNextStage() throws {
        let refused = try #require(refusal(from: .closed, to: .followUp))
        #expect(refused.message == "La mesa está en «Concluida»; la etapa siguiente es ninguna: la mesa ya concluyó.")
    }

    @Test func aCancelledTableDoesNotMove() {
        #expect(refusal(from: .scheduled, cancelled: true, to: .introduction)?.code == ErrorCode.roundtableCancelled.rawValue)
    }

    @Test func onlyOpeningTheTableChecksRuleD10Again() throws {
        #expect(try RoundtableAgenda.advance(from: .scheduled, cancelled: false, to: .introduction).opensTheTable)
        #expect(try !RoundtableAgenda.advance(from: .introduction, cancelled: false, to: .analysis).opensTheTable)
    }

    @Test func onlyAnalysisKeepsADossierItemOnScreen() throws {
        #expect(try RoundtableAgenda.advance(from: .introduction, cancelled: false, to: .analysis).keepsPresenting)
        #expect(try !RoundtableAgenda.advance(from: .analysis, cancelled: false, to: .agreements).keepsPresenting)
    }
}
