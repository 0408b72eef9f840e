/// The counts of one contiguous range of slots, in an array owned here: where a relay (or the
/// root) accumulates the histograms its children sent.
///
/// Adding a received slot is one array write at `index − base`: no value-to-index round trip
/// and no copy-on-write check per slot, as adding through hdrhistogram-swift's `record` costs,
/// and the array spans only the slots the children used (a few thousand for latencies of one
/// test, not the 23,000 of the whole layout).
///
/// Cells are 32 bits, with whatever passes 2^32 − 1 kept apart in ``carries``: a relay's
/// windows for a busy agent fleet (20 trend series, thousands of slots each) then fit in a
/// core's cache, where 64-bit cells did not and every add waited on memory. A slot holding
/// four billion samples in one interval is possible but rare, and costs only a dictionary
/// entry; the counts stay exact.
struct CountsWindow: Sendable {
    /// The counts-array index of `cells[0]`.
    private(set) var base = 0
    /// The low 32 bits of each slot's count.
    private var cells: [UInt32] = []
    /// The rest of each slot whose count passed 2^32 − 1 (multiples of 2^32), by counts-array index.
    private var carries: [Int: UInt64] = [:]
    private(set) var totalCount: UInt64 = 0

    var isEmpty: Bool { totalCount == 0 }

    /// Adds every slot of `sparse` (indices below `countsLength`).
    mutating func add(_ sparse: SparseCounts, countsLength: Int) {
        guard let first = sparse.slots.first?.index, let last = sparse.slots.last?.index else { return }
        cover(first, last, countsLength: countsLength)
        let base = self.base
        var overflows: [(index: Int, carry: UInt64)] = []
        cells.withUnsafeMutableBufferPointer { buffer in
            for slot in sparse.slots {
                let (sum, overflow) = buffer[slot.index - base].addingReportingOverflow(UInt32(truncatingIfNeeded: slot.count))
                buffer[slot.index - base] = sum
                let high = slot.count >> 32
                if overflow || high != 0 { overflows.append((slot.index, (high &+ (overflow ? 1 : 0)) << 32)) }
            }
        }
        for (index, carry) in overflows { carries[index, default: 0] &+= carry }
        totalCount &+= sparse.totalCount
    }

    /// Adds every slot of `other`.
    mutating func add(_ other: CountsWindow, countsLength: Int) {
        guard !other.isEmpty else { return }
        cover(other.base, other.base + other.cells.count - 1, countsLength: countsLength)
        let offset = other.base - base
        var overflows: [Int] = []
        cells.withUnsafeMutableBufferPointer { buffer in
            for (index, cell) in other.cells.enumerated() where cell > 0 {
                let (sum, overflow) = buffer[offset + index].addingReportingOverflow(cell)
                buffer[offset + index] = sum
                if overflow { overflows.append(other.base + index) }
            }
        }
        for index in overflows { carries[index, default: 0] &+= 1 << 32 }
        for (index, carry) in other.carries { carries[index, default: 0] &+= carry }
        totalCount &+= other.totalCount
    }

    /// Calls `body` with the index and count of every non-empty slot, in increasing order,
    /// until it returns false.
    func forEachNonEmptySlot(_ body: (_ index: Int, _ count: UInt64) -> Bool) {
        if carries.isEmpty {
            for (offset, cell) in cells.enumerated() where cell > 0 {
                if !body(base + offset, UInt64(cell)) { return }
            }
            return
        }
        for (offset, cell) in cells.enumerated() {
            let count = UInt64(cell) &+ (carries[base + offset] ?? 0)
            if count > 0, !body(base + offset, count) { return }
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
        guard !cells.isEmpty else {
            base = first
            cells = [UInt32](repeating: 0, count: last - first + 1)
            return
        }
        let end = base + cells.count
        guard first < base || last >= end else { return }
        let slack = cells.count / 2
        let newBase = first < base ? Swift.max(0, Swift.min(first, base - slack)) : base
        let newEnd = last >= end ? Swift.min(countsLength, Swift.max(last + 1, end + slack)) : end
        var grown = [UInt32](repeating: 0, count: newEnd - newBase)
        grown.withUnsafeMutableBufferPointer { buffer in
            for (offset, cell) in cells.enumerated() { buffer[base - newBase + offset] = cell }
        }
        // Carries are kept by counts-array index: a move of the window leaves them as they are.
        base = newBase
        cells = grown
    }
}
