/// A recurring topic among the requests: its words and the requests that belong to it.
public struct RequestTopicFinding: Sendable, Equatable {
    /// Up to eight words, most representative first: for each of the topic's heaviest stems, the
    /// spelling people used most (lowercase, with accents).
    public var terms: [String]
    /// The first three terms joined with " · ".
    public var label: String
    /// Indices into the input texts, ascending.
    public var members: [Int]
}

public struct TopicDetection: Sendable, Equatable {
    /// The topic index of each input text; -1 for a text with no usable words (none left once stop
    /// words are out, or none that another text shares).
    public var assignments: [Int]
    /// Largest first; `assignments` and `members` use this order.
    public var topics: [RequestTopicFinding]
}

/// Finds the recurring topics of a set of access-to-information requests: TF-IDF over Spanish stems
/// (`TermMatrix`), spherical k-means (`SphericalKMeans`), and, when the caller does not say how many
/// topics, the number that separates the requests best.
public enum TopicModel {
    /// Seeding and choosing the number of topics run on at most this many requests — a hundred for
    /// each of twenty topics — and the whole set is then iterated from the best seeding.
    static let sampleSize = 2_000
    /// k-means++ still lands in poor local optima (two topics merged, another split) one time in
    /// three or so on overlapping topics; on the sample, two dozen tries cost about as much as
    /// reading a hundred thousand texts, and make that rare.
    static let initialisations = 24
    static let termsPerTopic = 8

    /// The topics of `texts`: `topicCount` of them (fewer only when the texts cannot fill them), or
    /// as many as separate the texts best when nil. The same texts and seed give the same topics.
    public static func detect(_ texts: [String], topicCount: Int? = nil, seed: UInt64 = 1) -> TopicDetection {
        let matrix = TermMatrix(texts: texts)
        guard matrix.rowCount > 0 else { return TopicDetection(assignments: Array(repeating: -1, count: texts.count), topics: []) }
        var random = SplitMix64(seed: seed)
        let sample = matrix.sample(sampleSize, &random)
        let k = topicCount.map { min(max($0, 1), matrix.rowCount) } ?? TopicCount.choose(sample, seed: seed)
        let seeding = SphericalKMeans.fit(sample, k: min(k, sample.rowCount), initialisations: initialisations, random: &random)
        let clustering = SphericalKMeans.iterate(matrix, from: seeding.centroids)
        return describe(clustering, matrix, textCount: texts.count)
    }

    /// Topics in order of size with their words; clusters left empty are not topics.
    private static func describe(_ clustering: Clustering, _ matrix: TermMatrix, textCount: Int) -> TopicDetection {
        let k = clustering.k
        var sizes = [Int](repeating: 0, count: k)
        for label in clustering.labels { sizes[Int(label)] += 1 }
        let order = (0..<k).filter { sizes[$0] > 0 }.sorted { (sizes[$0], $1) > (sizes[$1], $0) }
        var topicOfCluster = [Int](repeating: -1, count: k)
        for (topic, cluster) in order.enumerated() { topicOfCluster[cluster] = topic }

        var assignments = [Int](repeating: -1, count: textCount)
        for row in 0..<matrix.rowCount { assignments[matrix.texts[row]] = topicOfCluster[Int(clustering.labels[row])] }
        var members = [[Int]](repeating: [], count: order.count)
        for (text, topic) in assignments.enumerated() where topic >= 0 { members[topic].append(text) }

        let topics = order.enumerated().map { topic, cluster in
            let columns = (0..<matrix.columnCount)
                .map { (column: $0, weight: clustering.centroids[$0, cluster]) }
                .filter { $0.weight > 0 }
                .sorted { ($0.weight, $1.column) > ($1.weight, $0.column) }
                .prefix(termsPerTopic)
            let terms = columns.map { matrix.columnWords[$0.column] }
            return RequestTopicFinding(terms: terms, label: terms.prefix(3).joined(separator: " · "), members: members[topic])
        }
        return TopicDetection(assignments: assignments, topics: topics)
    }
}
