/// Every text as (stem, count) pairs, with the words and stems they were counted from.
///
/// Reading and counting words is most of the work of topic detection: each core takes a contiguous
/// share of the texts with a word table of its own, and the tables are merged in text order, so the
/// result is the same on any number of cores.
struct StemCounting {
    /// The texts' stem counts, share after share, in text order.
    var shares: [StemCounts]
    var words: WordTable
    var stems: StemIndex

    init(_ texts: [String]) {
        var shares = Parallel.map(texts.count, minimumPerChunk: 2_000) { range in WordCounts(texts[range]) }
        var words = shares[0].table
        for index in shares.indices.dropFirst() {
            shares[index].remap = (0..<shares[index].table.count).map { id in
                shares[index].table.word(id).withUnsafeBufferPointer { words.add($0, times: shares[index].table.occurrences[id]) }
            }
        }
        let stems = StemIndex(words)
        let merged = shares
        self.shares = Parallel.map(merged.count, minimumPerChunk: 1) { range in range.map { merged[$0].stemCounts(stems) } }.flatMap { $0 }
        self.words = words
        self.stems = stems
    }
}

struct StemCounts {
    /// Text t's stems and their counts are at `rowStart[t]..<rowStart[t + 1]`.
    var rowStart: [Int32] = [0]
    var stems: [Int32] = []
    var counts: [Int32] = []
    /// How many of these texts each stem appears in.
    var documentFrequency: [Int32]
    var textsWithStems = 0
}

/// The words of a contiguous share of the texts: each distinct word once, and each text as the ids
/// of its words.
private struct WordCounts {
    var table = WordTable()
    /// Text t's words are `tokens[ends[t - 1]..<ends[t]]`.
    var tokens: [Int32] = []
    var ends: [Int32] = []
    /// Ids of `table` in the merged table; nil for the first share, whose table is the merged one's start.
    var remap: [Int32]?

    init(_ texts: ArraySlice<String>) {
        ends.reserveCapacity(texts.count)
        tokens.reserveCapacity(texts.count * 16)
        for text in texts {
            SpanishText.forEachWord(in: text) { word, letters in
                // Shorter words are dropped anyway; skipping them here saves most lookups ("de", "la").
                if letters >= 3 { tokens.append(table.add(word)) }
            }
            ends.append(Int32(tokens.count))
        }
    }

    /// Each text as (stem, count) pairs, in order of first appearance, with the number of texts each
    /// stem appears in. Counted in place rather than by sorting each text's stems: a stem's entry in
    /// the current row is remembered until the next text.
    func stemCounts(_ index: StemIndex) -> StemCounts {
        var result = StemCounts(documentFrequency: Array(repeating: 0, count: index.count))
        result.stems.reserveCapacity(tokens.count)
        result.counts.reserveCapacity(tokens.count)
        let stemOfToken = (0..<table.count).map { index.stemOfWord[Int(remap?[$0] ?? Int32($0))] }
        var lastText = [Int32](repeating: -1, count: index.count)
        var entryInRow = [Int32](repeating: 0, count: index.count)
        var start = 0
        for (text, end) in ends.enumerated() {
            let rowStart = result.stems.count
            for token in tokens[start..<Int(end)] {
                let stem = Int(stemOfToken[Int(token)])
                guard stem >= 0 else { continue }
                if lastText[stem] == Int32(text) {
                    result.counts[Int(entryInRow[stem])] += 1
                } else {
                    lastText[stem] = Int32(text)
                    entryInRow[stem] = Int32(result.stems.count)
                    result.stems.append(Int32(stem))
                    result.counts.append(1)
                    result.documentFrequency[stem] += 1
                }
            }
            if result.stems.count > rowStart { result.textsWithStems += 1 }
            result.rowStart.append(Int32(result.stems.count))
            start = Int(end)
        }
        return result
    }
}

/// The stem of every distinct word (-1 for stop words and words under three letters) and, for each
/// stem, its most frequent spelling.
struct StemIndex {
    var stemOfWord: [Int32]
    /// The word id shown for each stem.
    var spelling: [Int] = []
    var count: Int { spelling.count }

    init(_ words: WordTable) {
        let stemmer = SpanishStemmer()
        var ids: [String: Int32] = [:]
        stemOfWord = Array(repeating: -1, count: words.count)
        for id in 0..<words.count {
            guard let term = SpanishText.term(String(decoding: words.word(id), as: UTF8.self)) else { continue }
            let stem = stemmer.stem(term)
            if let known = ids[stem] {
                stemOfWord[id] = known
                if words.occurrences[id] > words.occurrences[spelling[Int(known)]] { spelling[Int(known)] = id }
            } else {
                ids[stem] = Int32(spelling.count)
                stemOfWord[id] = Int32(spelling.count)
                spelling.append(id)
            }
        }
    }
}
