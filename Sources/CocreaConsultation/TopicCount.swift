/// How many topics, when the caller does not say: every k from 2 to 20 (at most one topic per ten
/// requests) is fitted on a sample, and the fewest topics whose simplified silhouette comes within
/// `tolerance` of the highest win.
///
/// The silhouette weighs how close each request sits to its own topic against the nearest other
/// one, so it drops both when real topics are merged (requests far from their centroid) and when a
/// real topic is split (two centroids equally near). Within-cluster similarity alone only grows with
/// k, and the simplified form needs no pairwise distances: the assignment step already has both
/// cosines.
enum TopicCount {
    static let largest = 20
    /// A recurring topic needs some requests; with fewer per topic, a small set splits into the
    /// families of requests copied from one another, which separate even better than topics do.
    static let requestsPerTopic = 10
    static let initialisations = 3
    /// Silhouettes this close to the best are within the noise of k-means' local optima; among
    /// them the fewest topics win, which people also read more easily.
    static let tolerance = 0.02

    static func choose(_ sample: TermMatrix, seed: UInt64) -> Int {
        // Too few requests to compare partitions: one topic.
        guard sample.rowCount / requestsPerTopic >= 2 else { return 1 }
        let candidates = Array(2...min(largest, sample.rowCount / requestsPerTopic))
        // Each k draws from its own generator, so the result does not depend on which core ran it.
        let silhouettes = Parallel.each(candidates.count) { index in
            var random = SplitMix64(seed: seed &+ UInt64(candidates[index]) &* 0x9e37_79b9_7f4a_7c15)
            return SphericalKMeans.fit(sample, k: candidates[index], initialisations: initialisations, random: &random).silhouette
        }
        let best = silhouettes.max()!
        return candidates[silhouettes.firstIndex { $0 >= best - tolerance * abs(best) }!]
    }
}
