import Foundation

/// The texts as TF-IDF vectors over word stems, one row per text that has usable words, stored flat
/// (compressed sparse rows): a hundred thousand requests make about a million non-zero entries, and
/// three arrays keep them together in memory where a dictionary per text would scatter them.
///
/// Weights follow scikit-learn's `TfidfVectorizer(sublinear_tf=True)`: tf = 1 + ln(count),
/// idf = ln((1 + texts) / (1 + texts with the stem)) + 1, each row scaled to unit length — so the
/// dot product of two rows is their cosine.
struct TermMatrix {
    /// Row r is `columns[rowStart[r]..<rowStart[r + 1]]`, with `values` alongside.
    var rowStart: [Int32]
    var columns: [Int32]
    var values: [Float]
    /// The input text of each row.
    var texts: [Int]
    /// The word shown for each column: the most frequent spelling of its stem, lowercase with accents.
    var columnWords: [String]

    var rowCount: Int { texts.count }
    var columnCount: Int { columnWords.count }

    /// A stem in fewer texts than this groups nothing.
    static let minimumTexts = 2
    /// A stem in a larger share of the texts is the way requests are written, not their topic.
    static let maximumShare = 0.6

    /// `size` distinct rows drawn uniformly (a partial Fisher–Yates shuffle), in row order; all of
    /// them when there are no more.
    func sample(_ size: Int, _ random: inout SplitMix64) -> TermMatrix {
        guard rowCount > size else { return self }
        var order = Array(0..<rowCount)
        for index in 0..<size { order.swapAt(index, index + random.below(rowCount - index)) }
        return rows(order[..<size].sorted())
    }

    /// The rows at `selection`, in that order.
    func rows(_ selection: [Int]) -> TermMatrix {
        var subset = TermMatrix(rowStart: [0], columns: [], values: [], texts: [], columnWords: columnWords)
        for row in selection {
            let entries = Int(rowStart[row])..<Int(rowStart[row + 1])
            subset.columns.append(contentsOf: columns[entries])
            subset.values.append(contentsOf: values[entries])
            subset.rowStart.append(Int32(subset.columns.count))
            subset.texts.append(texts[row])
        }
        return subset
    }
}

extension TermMatrix {
    init(texts: [String]) {
        let counted = StemCounting(texts)

        // Document frequencies decide which stems are columns.
        var documentFrequency = [Int32](repeating: 0, count: counted.stems.count)
        var textsWithStems = 0
        for share in counted.shares {
            for (stem, texts) in share.documentFrequency.enumerated() { documentFrequency[stem] += texts }
            textsWithStems += share.textsWithStems
        }
        let maximumTexts = Self.maximumShare * Double(textsWithStems)
        var column = [Int32](repeating: -1, count: counted.stems.count)
        var idf: [Float] = []
        var columnWords: [String] = []
        for stem in 0..<counted.stems.count
        where documentFrequency[stem] >= Self.minimumTexts && Double(documentFrequency[stem]) <= maximumTexts {
            column[stem] = Int32(idf.count)
            idf.append(Float(log(Double(1 + texts.count) / Double(1 + documentFrequency[stem])) + 1))
            columnWords.append(String(decoding: counted.words.word(counted.stems.spelling[stem]), as: UTF8.self))
        }

        self.init(rowStart: [0], columns: [], values: [], texts: [], columnWords: columnWords)
        columns.reserveCapacity(counted.shares.reduce(0) { $0 + $1.stems.count })
        values.reserveCapacity(columns.capacity)
        var text = 0
        for share in counted.shares {
            for row in 0..<share.rowStart.count - 1 {
                appendRow(
                    share.stems[Int(share.rowStart[row])..<Int(share.rowStart[row + 1])],
                    counts: share.counts[Int(share.rowStart[row])..<Int(share.rowStart[row + 1])],
                    of: text, column: column, idf: idf)
                text += 1
            }
        }
    }

    /// Adds a text's row, weighted and scaled to unit length, unless none of its stems is a column.
    private mutating func appendRow(_ stems: ArraySlice<Int32>, counts: ArraySlice<Int32>, of text: Int, column: [Int32], idf: [Float]) {
        let start = columns.count
        var squares: Float = 0
        for (stem, count) in zip(stems, counts) {
            let target = column[Int(stem)]
            guard target >= 0 else { continue }
            let weight = (1 + logf(Float(count))) * idf[Int(target)]
            columns.append(target)
            values.append(weight)
            squares += weight * weight
        }
        guard columns.count > start else { return }
        let scale = 1 / squares.squareRoot()
        for entry in start..<columns.count { values[entry] *= scale }
        rowStart.append(Int32(columns.count))
        texts.append(text)
    }
}
