import CocreaConsultation
import Testing

/// Recurring topics of information requests: how Spanish words are normalised, then whether the
/// planted topics of `PlantedRequests` come back.
@Suite struct TopicModelTests {
    // MARK: Normalisation

    @Test func accentsAreFoldedButEñeIsKept() {
        #expect(SpanishText.fold("Información") == "informacion")
        #expect(SpanishText.fold("PINGÜINO") == "pinguino")
        #expect(SpanishText.fold("AÑO") == "año")
        #expect(SpanishText.fold("año") != SpanishText.fold("ano"))
    }

    @Test func wordsSplitOnAnythingButLettersSoNumbersNeverFormWords() {
        #expect(
            SpanishText.words(in: "¿Cuánto costó la OBRA? Folio 0120/2024: $1,500,000.00 (IVA incluido)")
                == ["cuánto", "costó", "la", "obra", "folio", "iva", "incluido"])
    }

    @Test func decomposedAccentsReadLikeComposedOnes() {
        // Text pasted from some systems comes in Unicode's decomposed form: "o" + combining acute.
        #expect(SpanishText.words(in: "informacio\u{301}n del an\u{303}o") == ["informacion", "del", "año"])
    }

    @Test func termsLeaveOutStopWordsRequestBoilerplateAndShortWords() {
        let text = "Buenas tardes, solicito por favor copia de la información sobre los contratos de 2023 y su monto. Gracias, atentamente."
        #expect(SpanishText.terms(in: text) == ["contratos", "monto"])
        #expect(SpanishText.isStopWord("Solicitud"))
        #expect(SpanishText.isStopWord("informacion"))
        #expect(SpanishText.isStopWord("estábamos"))
        #expect(!SpanishText.isStopWord("agua"))
    }

    @Test func stemsDoNotDependOnAccents() {
        let stemmer = SpanishStemmer()
        #expect(stemmer.stem("información") == "inform")
        #expect(stemmer.stem("informacion") == "inform")
        #expect(stemmer.stem("INFORMACIONES") == "inform")
        #expect(stemmer.stem("nómina") == stemmer.stem("nominas"))
    }

    @Test func aWordFamilySharesTheStemSnowballGivesIt() {
        let stemmer = SpanishStemmer()
        #expect(Set(["contrato", "contratos", "contratación", "contratacion", "contrataciones", "contratista"].map(stemmer.stem)) == ["contrat"])
        #expect(Set(["licitación", "licitacion", "licitaciones"].map(stemmer.stem)) == ["licit"])
        #expect(Set(["beca", "becas"].map(stemmer.stem)) == ["bec"])
        // Snowball keeps the person apart from the grant: "becario" is "becari".
        #expect(stemmer.stem("becarios") == "becari")
        #expect(stemmer.stems(in: "Solicito los sueldos y el sueldo de la nómina") == ["sueld", "sueld", "nomin"])
    }

    // MARK: Topics

    @Test func plantedTopicsAreRecoveredWhenTheirCountIsGiven() {
        let (texts, planted) = PlantedRequests.make()
        let detection = TopicModel.detect(texts, topicCount: 4)
        #expect(detection.topics.count == 4)
        expectRecovered(detection, planted)
    }

    @Test func plantedTopicsAreRecoveredWithTheirCountChosenAutomatically() {
        let (texts, planted) = PlantedRequests.make()
        let detection = TopicModel.detect(texts)
        #expect(detection.topics.count == 4)
        expectRecovered(detection, planted)
    }

    @Test func textsWithoutUsableWordsBelongToNoTopic() {
        let (texts, _) = PlantedRequests.make()
        let detection = TopicModel.detect(texts + ["", "Gracias.", "Folio 00112/2024"], topicCount: 4)
        #expect(Array(detection.assignments.suffix(3)) == [-1, -1, -1])
        #expect(detection.topics.allSatisfy { $0.members.allSatisfy { $0 < texts.count } })
        #expect(detection.topics.reduce(0) { $0 + $1.members.count } == texts.count)
    }

    @Test func topicsAreSortedBySizeAndLabelledWithTheirFirstThreeTerms() {
        let (texts, _) = PlantedRequests.make()
        // Drop half of one topic so that sizes differ.
        let detection = TopicModel.detect(texts.enumerated().filter { $0.offset % 8 != 1 }.map(\.element), topicCount: 4)
        #expect(detection.topics.map(\.members.count) == detection.topics.map(\.members.count).sorted(by: >))
        for (index, topic) in detection.topics.enumerated() {
            #expect((5...8).contains(topic.terms.count))
            #expect(topic.label == topic.terms.prefix(3).joined(separator: " · "))
            #expect(topic.members.allSatisfy { detection.assignments[$0] == index })
        }
    }

    @Test func theSameSeedGivesTheSameTopics() {
        let (texts, _) = PlantedRequests.make()
        #expect(TopicModel.detect(texts, seed: 7) == TopicModel.detect(texts, seed: 7))
    }

    @Test func noTextsGiveNoTopics() {
        let none = TopicModel.detect([])
        #expect(none.assignments.isEmpty && none.topics.isEmpty)
        let unusable = TopicModel.detect(["de la", "123", "Solicito información, gracias."])
        #expect(unusable.assignments == [-1, -1, -1] && unusable.topics.isEmpty)
    }

    /// Each planted topic maps to its own found topic that holds at least 90 % of it and is at least
    /// 90 % pure, whose words include one characteristic of the planted topic.
    private func expectRecovered(_ detection: TopicDetection, _ planted: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        var used: Set<Int> = []
        for (index, topic) in PlantedRequests.topics.enumerated() {
            let members = planted.indices.filter { planted[$0] == index }
            let found = Dictionary(grouping: members, by: { detection.assignments[$0] }).max { $0.value.count < $1.value.count }!
            #expect(found.key >= 0, "\(topic.name) sin tema", sourceLocation: sourceLocation)
            guard found.key >= 0 else { continue }
            let foundTopic = detection.topics[found.key]
            #expect(Double(found.value.count) >= 0.9 * Double(members.count), "\(topic.name) repartido", sourceLocation: sourceLocation)
            #expect(
                Double(found.value.count) >= 0.9 * Double(foundTopic.members.count), "\(topic.name) mezclado: \(foundTopic.label)",
                sourceLocation: sourceLocation)
            #expect(!topic.characteristicWords.isDisjoint(with: foundTopic.terms), "\(topic.name): \(foundTopic.terms)", sourceLocation: sourceLocation)
            #expect(used.insert(found.key).inserted, "\(topic.name) comparte tema", sourceLocation: sourceLocation)
        }
        #expect(adjustedRandIndex(planted, detection.assignments) >= 0.9, sourceLocation: sourceLocation)
    }

    /// Agreement of two partitions corrected for chance (Hubert & Arabie): 1 identical, about 0 random.
    private func adjustedRandIndex(_ first: [Int], _ second: [Int]) -> Double {
        func pairs(_ count: Int) -> Double { Double(count * (count - 1) / 2) }
        let cells = Dictionary(grouping: zip(first, second), by: { "\($0.0)/\($0.1)" }).values.map { pairs($0.count) }.reduce(0, +)
        let rows = Dictionary(grouping: first, by: { $0 }).values.map { pairs($0.count) }.reduce(0, +)
        let columns = Dictionary(grouping: second, by: { $0 }).values.map { pairs($0.count) }.reduce(0, +)
        let expected = rows * columns / pairs(first.count)
        return (cells - expected) / ((rows + columns) / 2 - expected)
    }
}
