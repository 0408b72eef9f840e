/// The counts of one contiguous range of slots, in an array owned here: where a relay (or the
/// root) accumulates the histograms its children sent.
///
/// Adding a received slot is one array write at `index − base`: no value-to-index round trip
/// and no copy-on-write check per slot, as adding through hdrhistogram-swift's `record` costs,
/// and the array spans only the slots the children used (a few thousand for latencies of one
/// test, not the 23,000 of the whole layout).
struct CountsWindow: Sendable {
    /// The counts-array index of `counts[0]`.
    private(set) var base = 0
    private(set) var counts: [UInt64] = []
    private(set) var totalCount: UInt64 = 0

    var isEmpty: Bool { totalCount == 0 }

    /// Adds every slot of `sparse` (indices below `countsLength`).
    mutating func add(_ sparse: SparseCounts, countsLength: Int) {
        guard let first = sparse.slots.first?.index, let last = sparse.slots.last?.index else { return }
        cover(first, last, countsLength: countsLength)
        let base = self.base
        counts.withUnsafeMutableBufferPointer { buffer in
            for slot in sparse.slots { buffer[slot.index - base] &+= slot.count }
        }
        totalCount &+= sparse.totalCount
    }

    /// Adds every slot of `other`.
    mutating func add(_ other: CountsWindow, countsLength: Int) {
        guard !other.isEmpty else { return }
        cover(other.base, other.base + other.counts.count - 1, countsLength: countsLength)
        let offset = other.base - base
        counts.withUnsafeMutableBufferPointer { buffer in
            for (index, count) in other.counts.enumerated() where count > 0 { buffer[offset + index] &+= count }
        }
        totalCount &+= other.totalCount
    }

    /// Calls `body` with the index and count of every non-empty slot, in increasing order,
    /// until it returns false.
    func forEachNonEmptySlot(_ body: (_ index: Int, _ count: UInt64) -> Bool) {
        for (offset, count) in counts.enumerated() where count > 0 {
            if !body(base + offset, count) { return }
        }
    }

    /// The non-empty slots.
    var sparse: SparseCounts {
        var sparse = SparseCounts()
        forEachNonEmptySlot { index, count in
            sparse.append(index: index, count: count)
            return true
        }
        return sparse
    }

    /// Widens the window to cover `first...last`, with room to spare on a side that grows (so
    /// that children's slightly different ranges do not reallocate it each time).
    private mutating func cover(_ first: Int, _ last: Int, countsLength: Int) {
        guard !counts.isEmpty else {
            base = first
            counts = [UInt64](repeating: 0, count: last - first + 1)
            return
        }
        let end = base + counts.count
        guard first < base || last >= end else { return }
        let slack = counts.count / 2
        let newBase = first < base ? Swift.max(0, Swift.min(first, base - slack)) : base
        let newEnd = last >= end ? Swift.min(countsLength, Swift.max(last + 1, end + slack)) : end
        var grown = [UInt64](repeating: 0, count: newEnd - newBase)
        grown.withUnsafeMutableBufferPointer { buffer in
            for (offset, count) in counts.enumerated() { buffer[base - newBase + offset] = count }
        }
        base = newBase
        counts = grown
    }
}
