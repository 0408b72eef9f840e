/// A small seeded generator, so property tests can derive whole scenarios (samples, splits,
/// merge orders) from one generated seed and a failure can be replayed from that seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Merges `parts` pairwise in a random order and grouping (a random merge tree), the way
/// batches meet at relays of an arbitrary tree.
func mergeInRandomTree<T>(
    _ parts: [T], using rng: inout SplitMix64, merge: (inout T, T) throws -> Void
) rethrows -> T? {
    var pool = parts
    while pool.count > 1 {
        let i = Int.random(in: 0..<pool.count, using: &rng)
        let a = pool.remove(at: i)
        let j = Int.random(in: 0..<pool.count, using: &rng)
        let b = pool.remove(at: j)
        var left = a
        var right = b
        if Bool.random(using: &rng) { swap(&left, &right) }
        try merge(&left, right)
        pool.insert(left, at: Int.random(in: 0...pool.count, using: &rng))
    }
    return pool.first
}
