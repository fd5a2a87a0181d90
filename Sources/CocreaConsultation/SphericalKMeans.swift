import Foundation

/// A partition of the rows of a `TermMatrix` into k clusters, each with a unit-length centroid.
struct Clustering {
    var centroids: Centroids
    var labels: [Int32]
    /// Each row's cosine with its own centroid and with the nearest other one.
    var similarity: [Float]
    var runnerUp: [Float]

    var k: Int { centroids.k }

    /// What spherical k-means maximises: the summed cosine of every row with its centroid.
    var objective: Double { similarity.reduce(0) { $0 + Double($1) } }

    /// The simplified silhouette: for each row, (b − a) / max(a, b) with a and b its cosine distances
    /// to its own and to the nearest other centroid, averaged. Computed from what the last assignment
    /// already knows, so comparing several k costs no pairwise distances.
    var silhouette: Double {
        guard !labels.isEmpty else { return 0 }
        var total = 0.0
        for row in labels.indices {
            let own = 1 - Double(similarity[row])
            let other = 1 - Double(runnerUp[row])
            let spread = max(own, other)
            if spread > 0 { total += (other - own) / spread }
        }
        return total / Double(labels.count)
    }
}

/// k-means on the unit sphere (cosine similarity), the usual clustering for TF-IDF text: k-means++
/// seeding, then Lloyd iterations until no row changes cluster.
enum SphericalKMeans {
    static let maximumIterations = 100
    /// When a fit on a sample stops: one row in a thousand still moving.
    static let settled = 0.001
    /// Below this many rows the assignment runs on one core: the threads would cost more than they save.
    static let rowsPerCore = 10_000

    /// The best of `initialisations` seedings, each iterated until it has settled, side by side on
    /// the cores; each draws from its own generator, seeded in turn from `random`, so the winner does
    /// not depend on scheduling.
    static func fit(_ matrix: TermMatrix, k: Int, initialisations: Int, random: inout SplitMix64) -> Clustering {
        let seeds = (0..<max(initialisations, 1)).map { _ in random.next() }
        let fits = Parallel.each(seeds.count) { index in
            var random = SplitMix64(seed: seeds[index])
            return iterate(matrix, from: seed(matrix, k: k, random: &random), settled: settled)
        }
        // The first of equal objectives, as a sequential loop would keep.
        return fits.max { $0.objective < $1.objective }!
    }

    /// Lloyd iterations from `centroids` until no row changes cluster (or `maximumIterations`), or
    /// until no more than `settled` of the rows do: comparing seedings or numbers of topics needs no
    /// more, and the last few moves cost as many iterations as the rest.
    static func iterate(_ matrix: TermMatrix, from centroids: Centroids, settled: Double = 0) -> Clustering {
        var clustering = Clustering(
            centroids: centroids, labels: Array(repeating: -1, count: matrix.rowCount),
            similarity: Array(repeating: 0, count: matrix.rowCount),
            runnerUp: Array(repeating: 0, count: matrix.rowCount))
        for _ in 0..<maximumIterations {
            var changes = assign(matrix, &clustering)
            changes += refillEmptyClusters(&clustering)
            if changes == 0 || Double(changes) <= settled * Double(matrix.rowCount) { break }
            clustering.centroids = Centroids(meansOf: matrix, labels: clustering.labels, k: centroids.k)
        }
        return clustering
    }

    /// Puts every row in the cluster of its most similar centroid; returns how many rows moved.
    static func assign(_ matrix: TermMatrix, _ clustering: inout Clustering) -> Int {
        let centroids = clustering.centroids
        let labels = SharedBuffer(clustering.labels)
        let similarity = SharedBuffer(clustering.similarity)
        let runnerUp = SharedBuffer(clustering.runnerUp)
        let changes = Parallel.map(matrix.rowCount, minimumPerChunk: rowsPerCore) { rows in
            nearest(matrix, centroids, rows, labels, similarity, runnerUp)
        }
        clustering.labels = labels.array
        clustering.similarity = similarity.array
        clustering.runnerUp = runnerUp.array
        return changes.reduce(0, +)
    }

    /// For each row in `rows`, its most similar centroid (the label, and the cosine) and the cosine of
    /// the second; returns how many labels changed. The hot loop: buffer pointers, eight clusters at
    /// a time.
    private static func nearest(
        _ matrix: TermMatrix, _ centroids: Centroids, _ rows: Range<Int>,
        _ labels: SharedBuffer<Int32>, _ similarity: SharedBuffer<Float>, _ runnerUp: SharedBuffer<Float>
    ) -> Int {
        let k = centroids.k
        let blocks = centroids.blocks
        var changes = 0
        matrix.rowStart.withUnsafeBufferPointer { rowStart in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    centroids.weights.withUnsafeBufferPointer { weights in
                        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: blocks) { sums in
                            for row in rows {
                                for block in 0..<blocks { sums[block] = .zero }
                                for entry in Int(rowStart[row])..<Int(rowStart[row + 1]) {
                                    let value = SIMD8(repeating: values[entry])
                                    let base = Int(columns[entry]) * blocks
                                    for block in 0..<blocks { sums[block] += value * weights[base + block] }
                                }
                                var best = 0
                                var first = sums[0][0]
                                var second: Float = -1
                                for cluster in 1..<k {
                                    let sum = sums[cluster >> 3][cluster & 7]
                                    if sum > first {
                                        second = first
                                        first = sum
                                        best = cluster
                                    } else if sum > second {
                                        second = sum
                                    }
                                }
                                if labels.base[row] != Int32(best) {
                                    changes += 1
                                    labels.base[row] = Int32(best)
                                }
                                similarity.base[row] = first
                                runnerUp.base[row] = second
                            }
                        }
                    }
                }
            }
        }
        return changes
    }

    /// A cluster left with no rows takes the row that fits its own cluster worst, the usual remedy;
    /// none when every row already sits on its centroid (fewer distinct rows than clusters).
    private static func refillEmptyClusters(_ clustering: inout Clustering) -> Int {
        var sizes = [Int](repeating: 0, count: clustering.k)
        for label in clustering.labels { sizes[Int(label)] += 1 }
        var moved = 0
        for cluster in sizes.indices where sizes[cluster] == 0 {
            var worst = -1
            for row in clustering.labels.indices where sizes[Int(clustering.labels[row])] > 1 && clustering.similarity[row] < 0.999_999 {
                if worst < 0 || clustering.similarity[row] < clustering.similarity[worst] { worst = row }
            }
            guard worst >= 0 else { break }
            sizes[Int(clustering.labels[worst])] -= 1
            sizes[cluster] = 1
            clustering.labels[worst] = Int32(cluster)
            clustering.similarity[worst] = 1
            moved += 1
        }
        return moved
    }

    /// Greedy k-means++ (as scikit-learn does it): each new centroid is the best of a few rows drawn
    /// with probability proportional to their cosine distance from the centroids so far — the
    /// squared Euclidean distance up to a factor 2, on unit vectors. Fewer than k centroids come out
    /// non-zero when there are fewer distinct rows than k.
    static func seed(_ matrix: TermMatrix, k: Int, random: inout SplitMix64) -> Centroids {
        var centroids = Centroids(k: k, columns: matrix.columnCount)
        let trials = 2 + Int(log(Double(k)))
        var dense = [Float](repeating: 0, count: matrix.columnCount)

        /// Each row's distance to the nearest centroid once row `chosen` is one too, written into
        /// `nearest` (which holds the distances so far); returns their sum.
        func distances(adding chosen: Int, to nearest: inout [Float]) -> Float {
            let entries = Int(matrix.rowStart[chosen])..<Int(matrix.rowStart[chosen + 1])
            for entry in entries { dense[Int(matrix.columns[entry])] = matrix.values[entry] }
            var total: Float = 0
            matrix.rowStart.withUnsafeBufferPointer { rowStart in
                matrix.columns.withUnsafeBufferPointer { columns in
                    matrix.values.withUnsafeBufferPointer { values in
                        dense.withUnsafeBufferPointer { dense in
                            nearest.withUnsafeMutableBufferPointer { nearest in
                                for row in 0..<matrix.rowCount {
                                    var dot: Float = 0
                                    for entry in Int(rowStart[row])..<Int(rowStart[row + 1]) { dot += values[entry] * dense[Int(columns[entry])] }
                                    nearest[row] = min(nearest[row], max(0, 1 - dot))
                                    total += nearest[row]
                                }
                            }
                        }
                    }
                }
            }
            for entry in entries { dense[Int(matrix.columns[entry])] = 0 }
            return total
        }

        func place(_ row: Int, as cluster: Int) {
            for entry in Int(matrix.rowStart[row])..<Int(matrix.rowStart[row + 1]) {
                centroids[Int(matrix.columns[entry]), cluster] = matrix.values[entry]
            }
        }

        let first = random.below(matrix.rowCount)
        place(first, as: 0)
        var distance = [Float](repeating: 1, count: matrix.rowCount)
        var total = distances(adding: first, to: &distance)
        var candidate = distance
        var best = distance
        for cluster in 1..<k {
            guard total > 1e-6 else { break }
            var bestRow = -1
            var bestTotal = Float.infinity
            for _ in 0..<trials {
                var target = Float(random.unit()) * total
                var row = 0
                while row < matrix.rowCount - 1 && target >= distance[row] {
                    target -= distance[row]
                    row += 1
                }
                candidate = distance
                let candidateTotal = distances(adding: row, to: &candidate)
                if candidateTotal < bestTotal {
                    bestRow = row
                    bestTotal = candidateTotal
                    swap(&best, &candidate)
                }
            }
            place(bestRow, as: cluster)
            swap(&distance, &best)
            total = bestTotal
        }
        return centroids
    }
}
