import LoadTreeTestSupport

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
