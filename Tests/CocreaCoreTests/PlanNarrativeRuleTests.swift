import Testing

@testable import CocreaCore

/// The narrative sections' only markup: a blank line between paragraphs, "- " before a list item.
@Suite struct PlanNarrativeRuleTests {
    @Test func blankLinesSeparateParagraphsAndDashLinesAreListItems() {
        let text = """
            En Oaxaca, las solicitudes de información sobre obra pública
            tardan más de 20 días hábiles.

            El plan se sustenta en:
            - la Ley de Transparencia del Estado de Oaxaca;
            - el Acuerdo de Gobierno Abierto de 2016.
            Nada más se marca: *esto* queda tal cual.
            """
        #expect(
            PlanNarrative.blocks(text) == [
                .paragraph("En Oaxaca, las solicitudes de información sobre obra pública tardan más de 20 días hábiles."),
                .paragraph("El plan se sustenta en:"),
                .list(["la Ley de Transparencia del Estado de Oaxaca;", "el Acuerdo de Gobierno Abierto de 2016."]),
                .paragraph("Nada más se marca: *esto* queda tal cual."),
            ])
    }

    @Test func theSameWordsAreStoredTheSameHoweverTheyWereTyped() {
        let typed = "\r\n  Contexto y retos   \r\n\r\n\r\n\r\n- Obra\u{202E}pública \t\r\n\n"
        #expect(PlanNarrative.normalised(typed) == "Contexto y retos\n\n- Obrapública")
        #expect(PlanNarrative.normalised(PlanNarrative.normalised(typed)) == PlanNarrative.normalised(typed))
    }

    @Test func aSectionLongerThanItsLimitIsRefusedNamingIt() throws {
        let long = String(repeating: "a", count: PlanNarrative.Section.strategicObjective.maxLength + 1)
        #expect(throws: CocreaError.self) { try PlanNarrative.validated([.strategicObjective: long, .definitions: "- Abasto: existencias."]) }
        do {
            _ = try PlanNarrative.validated([.strategicObjective: long])
        } catch {
            #expect(error.fieldErrors.map(\.field) == ["strategicObjective"])
        }
        let fits = try PlanNarrative.validated([.strategicObjective: String(long.dropLast()), .normativeContext: nil])
        #expect(fits.normativeContext == "" && !fits.isEmpty)
    }

    @Test func problemsAreListedOnceInTheOrderOfTheirFirstCommitment() {
        let grouped = PlanProblems.grouped(["Recetas no surtidas", "Obra pública opaca", "recetas  no surtidas", "Obra pública opaca"])
        #expect(grouped.map(\.problem) == ["Recetas no surtidas", "Obra pública opaca"])
        #expect(grouped.map(\.commitments) == [[0, 2], [1, 3]])
    }
}
