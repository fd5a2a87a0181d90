/// A small seeded generator (Steele, Lea & Flood's SplitMix64), so the same texts and seed give the
/// same topics on every machine and Swift version — the standard library's `random(in:using:)`
/// promises neither.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in 0..<bound (bound > 0); the modulo bias is below 2⁻⁴⁰ for any bound this code uses.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
