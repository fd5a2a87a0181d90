/// Distinct words (UTF-8 bytes) numbered 0, 1, 2… in order of first appearance, with how often each
/// was seen. An open-addressing table over one byte arena: looking a word up allocates nothing, which
/// a `[String: Int]` could not promise for millions of occurrences.
struct WordTable {
    private var arena: [UInt8] = []
    /// Word `id` is `arena[starts[id]..<starts[id + 1]]`.
    private var starts: [Int32] = [0]
    private var hashes: [UInt64] = []
    private(set) var occurrences: [Int32] = []
    /// Word id + 1 in each slot; 0 is empty. A power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 1 << 13)

    var count: Int { occurrences.count }

    func word(_ id: Int) -> [UInt8] {
        Array(arena[Int(starts[id])..<Int(starts[id + 1])])
    }

    /// The id of `word`, adding it if new, counting one more occurrence (`times` more when merging).
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, times: Int32 = 1) -> Int32 {
        let hash = Self.hash(word)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == hash && matches(id, word) {
                occurrences[id] += times
                return Int32(id)
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: word)
        starts.append(Int32(arena.count))
        hashes.append(hash)
        occurrences.append(times)
        slots[slot] = id + 1
        if count * 2 > slots.count { grow() }
        return id
    }

    private func matches(_ id: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[id])
        let end = Int(starts[id + 1])
        guard end - start == word.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            for offset in 0..<word.count where arena[start + offset] != word[offset] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id) + 1
        }
    }

    /// FNV-1a, then a final mix so that the low bits used for the slot depend on every byte.
    private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 29
        return hash &* 0xbf58_476d_1ce4_e5b9
    }
}
