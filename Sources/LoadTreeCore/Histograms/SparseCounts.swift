/// The non-empty slots of an HDR histogram, by counts-array index in increasing order: what
/// a histogram received from another node looks like before it is merged.
///
/// A trend histogram's dense counts array has about 23,000 slots (188 KB), while one second
/// of one agent's latencies fills a few hundred. A relay merging a thousand children's batches
/// every second would spend its time allocating, zeroing and walking dense arrays; decoding
/// into this form and adding slot by slot costs only what the child actually recorded.
public struct SparseCounts: Sendable, Hashable {
    /// One non-empty slot.
    public struct Slot: Sendable, Hashable {
        /// The counts-array index of the slot.
        public let index: Int
        /// How many samples it holds (never 0).
        public let count: UInt64
    }

    /// The slots, by strictly increasing index, none empty.
    public private(set) var slots: [Slot]
    /// The sum of the slots' counts.
    public private(set) var totalCount: UInt64

    /// No slots.
    public init() {
        slots = []
        totalCount = 0
    }

    public var isEmpty: Bool { slots.isEmpty }

    /// Appends a slot above every slot already held; an empty count is skipped.
    ///
    /// - Returns: false (and nothing changes) when `index` is not above the last slot's or the
    ///   total would pass 2^64 − 1: the caller turns that into its own error.
    @discardableResult
    mutating func append(index: Int, count: UInt64) -> Bool {
        if let last = slots.last, index <= last.index { return false }
        let (total, overflow) = totalCount.addingReportingOverflow(count)
        guard !overflow else { return false }
        guard count > 0 else { return true }
        slots.append(Slot(index: index, count: count))
        totalCount = total
        return true
    }

    /// Slots the caller has already checked: strictly increasing indices, none empty, summing
    /// to `totalCount` without overflow (what the V2 decoder produces).
    init(sortedSlots: [Slot], totalCount: UInt64) {
        self.slots = sortedSlots
        self.totalCount = totalCount
    }
}
