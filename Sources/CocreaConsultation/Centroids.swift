/// The k unit vectors of a clustering, laid out for the assignment loop: by column, each column's k
/// weights padded to whole blocks of eight, so that a row's entry is multiplied into eight clusters'
/// sums at once.
struct Centroids {
    let k: Int
    let blocks: Int
    /// Column t's weights are `weights[t * blocks ..< (t + 1) * blocks]`; cluster c is lane c % 8 of
    /// block c / 8, and the padding lanes stay zero.
    var weights: [SIMD8<Float>]

    init(k: Int, columns: Int) {
        self.k = k
        blocks = (k + 7) / 8
        weights = Array(repeating: .zero, count: columns * blocks)
    }

    subscript(column: Int, cluster: Int) -> Float {
        get { weights[column * blocks + cluster >> 3][cluster & 7] }
        set { weights[column * blocks + cluster >> 3][cluster & 7] = newValue }
    }

    /// Each cluster's rows summed and scaled to unit length (the spherical mean); zero for a
    /// cluster with no rows.
    init(meansOf matrix: TermMatrix, labels: [Int32], k: Int) {
        self.init(k: k, columns: matrix.columnCount)
        let blocks = blocks
        weights.withUnsafeMutableBufferPointer { weights in
            for row in 0..<matrix.rowCount {
                let cluster = Int(labels[row])
                for entry in Int(matrix.rowStart[row])..<Int(matrix.rowStart[row + 1]) {
                    weights[Int(matrix.columns[entry]) * blocks + cluster >> 3][cluster & 7] += matrix.values[entry]
                }
            }
            var squares = [SIMD8<Float>](repeating: .zero, count: blocks)
            for index in weights.indices { squares[index % blocks] += weights[index] * weights[index] }
            let scales = squares.map { (1 / $0.squareRoot()).replacing(with: 0, where: $0 .== 0) }
            for index in weights.indices { weights[index] *= scales[index % blocks] }
        }
    }
}
