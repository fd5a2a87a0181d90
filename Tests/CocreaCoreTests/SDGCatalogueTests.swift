import CocreaCore
import Foundation
import Testing

@Suite struct SDGCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theShippedAgendaHasTheSeventeenGoalsAndTheirOneHundredSixtyNineTargetsNumberedAsTheUNNumbersThem() throws {
        let catalogue = try SDGCatalogue.load(root: Self.root)
        #expect(catalogue.goals.map(\.goal) == Array(1...17))
        #expect(catalogue.targets.count == 169)
        // Numbered targets first, then the lettered means of implementation (A/RES/70/1).
        let perGoal: [Int: (numbered: Int, lettered: Int)] = [
            1: (5, 2), 2: (5, 3), 3: (9, 4), 4: (7, 3), 5: (6, 3), 6: (6, 2), 7: (3, 2), 8: (10, 2), 9: (5, 3),
            10: (7, 3), 11: (7, 3), 12: (8, 3), 13: (3, 2), 14: (7, 3), 15: (9, 3), 16: (10, 2), 17: (19, 0),
        ]
        for (goal, counts) in perGoal {
            let letters = "abcd".prefix(counts.lettered).map { "\(goal).\($0)" }
            let expected = (1...counts.numbered).map { "\(goal).\($0)" } + letters
            #expect(catalogue.targets.filter { $0.goal == goal }.map(\.code) == expected)
        }
    }

    @Test func goalsReadAsTheResolutionWordsThemNotAsTheWebsiteShortensThem() throws {
        let catalogue = try SDGCatalogue.load(root: Self.root)
        #expect(catalogue.goal(5)?.text == "Lograr la igualdad de género y empoderar a todas las mujeres y las niñas")
        #expect(catalogue.goal(7)?.text == "Garantizar el acceso a una energía asequible, fiable, sostenible y moderna para todos")
        #expect(catalogue.describe("16.10").hasPrefix("16.10 Garantizar el acceso público a la información"))
    }
}
