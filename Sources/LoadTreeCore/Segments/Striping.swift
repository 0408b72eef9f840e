/// Which of every `lcd` consecutive global elements (VU numbers, iteration ids) each segment of
/// a full sequence owns.
///
/// Each cycle of `lcd` elements is dealt out so that segment k owns exactly n_k = length_k · lcd
/// of them, spread as evenly as possible; ties go to the larger segments first, then to the
/// earlier ones (k6-reference §1.4). Dealing uses two heaps, so the cost is O(lcd · log k) even
/// for sequences with thousands of segments.
struct Striping: Sendable, Hashable {
    /// The cycle length: lcm of the reduced denominators of every segment's length.
    let lcd: Int64
    /// n_k, the number of elements per cycle that segment k owns.
    let numerators: [Int64]
    /// The sorted positions in 0..<lcd owned by each segment.
    let positions: [[Int64]]

    /// The largest cycle a sequence may need; beyond it striping would cost too much memory.
    static let maximumLCD: Int64 = 1 << 22

    init(sequence segments: [ExecutionSegment]) throws(SegmentError) {
        var lcm: Int128 = 1
        for segment in segments {
            let d = Int128(segment.length.denominator)
            lcm = lcm / Int128(Rational.gcd(lcm.magnitude, d.magnitude)) * d
            guard lcm <= Int128(Striping.maximumLCD) else {
                throw .stripeTooFine(lcd: lcm, limit: Striping.maximumLCD)
            }
        }
        let lcd = Int64(lcm)
        let numerators = segments.map { $0.length.numerator * (lcd / $0.length.denominator) }
        self.lcd = lcd
        self.numerators = numerators
        self.positions = Striping.deal(lcd: lcd, numerators: numerators)
    }

    /// Segment k's (c+1)-th element is due at ⌈c·L/n_k⌉; each position goes to the first segment
    /// in (n_k descending, index ascending) order whose next element is due.
    private static func deal(lcd: Int64, numerators: [Int64]) -> [[Int64]] {
        let order = numerators.indices.sorted { numerators[$0] > numerators[$1] || (numerators[$0] == numerators[$1] && $0 < $1) }
        var positions = numerators.map { n in
            var list: [Int64] = []
            list.reserveCapacity(Int(n))
            return list
        }
        // Every segment's first element is due at 0, so all start ready, keyed by rank.
        var ready = MinHeap<Int>()
        for rank in order.indices { ready.push(rank) }
        var waiting = MinHeap<DueEntry>()
        for i in 0..<lcd {
            while let next = waiting.peek, next.due <= i {
                waiting.pop()
                ready.push(next.rank)
            }
            // Σ n_k = lcd guarantees a due segment at every position.
            guard let rank = ready.pop() else { preconditionFailure("striping: no segment due at \(i) of \(lcd)") }
            let k = order[rank]
            positions[k].append(i)
            let c = Int128(positions[k].count)
            if c < Int128(numerators[k]) {
                let n = Int128(numerators[k])
                let due = Int64((c * Int128(lcd) + n - 1) / n)
                waiting.push(DueEntry(due: due, rank: rank))
            }
        }
        return positions
    }

    /// How many of the first `value` global elements (0..<value) segment k owns:
    /// ⌊v/L⌋·n_k + #{p ∈ P_k : p < v mod L}.
    func scale(_ value: Int64, segment k: Int) -> Int64 {
        guard value > 0 else { return 0 }
        let cycles = value / lcd
        let rest = value % lcd
        let owned = positions[k]
        var low = 0, high = owned.count
        while low < high {
            let mid = (low + high) / 2
            if owned[mid] < rest { low = mid + 1 } else { high = mid }
        }
        return cycles * numerators[k] + Int64(low)
    }
}

private struct DueEntry: Comparable {
    let due: Int64
    let rank: Int
    static func < (a: DueEntry, b: DueEntry) -> Bool { (a.due, a.rank) < (b.due, b.rank) }
}

/// A binary min-heap; just enough for dealing stripes.
private struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var peek: Element? { items.first }

    mutating func push(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
