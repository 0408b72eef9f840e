/// What a relay or the root gathers between two flushes: the same content as an
/// ``IntervalAggregate``, with every series kept in a numbered slot that stays its slot for
/// the accumulator's life.
///
/// Why slots: a relay with a thousand children merges some 34,000 series a second. Looking
/// each one up by key (a name and a dozen tag strings, compared in full on every hit) was a
/// fifth of its work. A child's stream resolves each of its series numbers to a slot once
/// (``SeriesDirectory`` caches it) and every later entry is merged by array index.
///
/// Slots are never reused: a series that went quiet keeps its (empty) slot, so a slot cached
/// by a stream never comes to mean another series. Slot numbers belong to one accumulator;
/// ``identity`` tells a cache which one it was filled from.
public struct SeriesAccumulator: Sendable {
    /// One series' contribution of a batch, already validated: what goes into slot `slot`.
    public struct Entry: Sendable {
        public let slot: Int
        public let sink: MetricSink

        public init(slot: Int, sink: MetricSink) {
            self.slot = slot
            self.sink = sink
        }
    }

    /// Start of what is gathered, nanoseconds on the run's clock (the earliest merged start).
    public private(set) var start: Int64
    /// End of what is gathered (the latest merged end).
    public private(set) var end: Int64
    /// Which accumulator the slot numbers are of (random, drawn once per accumulator).
    public let identity: UInt64

    private var keys: [SeriesKey] = []
    /// Nil: nothing merged into the slot since the last drain.
    private var sinks: [MetricSink?] = []
    private var slotsByKey: [SeriesKey: Int] = [:]
    private var occupied = 0

    /// Nothing gathered yet, from `start`.
    public init(start: Int64 = 0) {
        self.start = start
        self.end = start
        self.identity = UInt64.random(in: .min ... .max)
    }

    /// Whether nothing was merged since the last drain.
    public var isEmpty: Bool { occupied == 0 }

    /// How many slots exist (every series ever merged).
    public var slotCount: Int { keys.count }

    /// The slot of `key`, made on first use.
    public mutating func slot(for key: SeriesKey) -> Int {
        if let slot = slotsByKey[key] { return slot }
        let slot = keys.count
        keys.append(key)
        sinks.append(nil)
        slotsByKey[key] = slot
        return slot
    }

    /// The series of slot `slot` (a slot this accumulator made).
    public func key(at slot: Int) -> SeriesKey { keys[slot] }

    /// Merges an interval's series, looking each up by key (a local engine's interval, or a
    /// batch from a child in the same process).
    ///
    /// - Throws: ``MetricSinkError`` when a series has another type here; nothing changes then.
    public mutating func merge(_ interval: IntervalAggregate) throws(MetricSinkError) {
        var entries: [Entry] = []
        entries.reserveCapacity(interval.series.count)
        for (key, sink) in interval.series { entries.append(Entry(slot: slot(for: key), sink: sink)) }
        try merge(entries, start: interval.start, end: interval.end)
    }

    /// Merges a batch's entries (each slot at most once) and widens the bounds to
    /// `start`..`end`, all or nothing.
    ///
    /// - Throws: ``MetricSinkError`` naming the first series of another type (or trend unit)
    ///   here, or whose trend count would overflow; nothing changes then.
    public mutating func merge(_ entries: [Entry], start: Int64, end: Int64) throws(MetricSinkError) {
        // By index, not `for entry in entries`: an entry holds a whole sink (a trend is a few
        // hundred bytes), and copying each out of the array showed in a relay's profile.
        // All checked first, each against its stored sink read in place (through a pointer):
        // `sinks[slot]!` copied every stored sink, four references and a few hundred bytes for
        // a trend, only to compare its type (some 4 % of a relay's CPU).
        let keys = self.keys
        try sinks.withUnsafeBufferPointer { stored throws(MetricSinkError) in
            guard let base = stored.baseAddress else { return }
            for position in entries.indices {
                let slot = entries[position].slot
                precondition(slot >= 0 && slot < stored.count, "slot \(slot) was not made by this accumulator")
                try (base + slot).pointee?.checkMerge(entries[position].sink, series: keys[slot].description)
            }
        }
        for position in entries.indices {
            let slot = entries[position].slot
            // In place through the array's accessor: a trend's counts are never copied.
            if sinks[slot] != nil {
                // Checked above: cannot fail.
                try? sinks[slot]!.merge(entries[position].sink)
            } else {
                sinks[slot] = entries[position].sink
                occupied += 1
            }
        }
        // As an interval's merge: the earliest start, the latest end.
        self.start = Swift.min(self.start, start)
        self.end = Swift.max(self.end, end)
    }

    /// Everything gathered, as one interval closed at `end` (or later, if merged batches
    /// reach further); the accumulator starts again empty where it ended, keeping its slots.
    public mutating func drain(at end: Int64) -> IntervalAggregate {
        let closed = Swift.max(end, self.end)
        var series: [SeriesKey: MetricSink] = [:]
        series.reserveCapacity(occupied)
        for slot in sinks.indices {
            guard let sink = sinks[slot] else { continue }
            series[keys[slot]] = sink
            sinks[slot] = nil
        }
        let interval = IntervalAggregate(start: start, end: closed, series: series)
        occupied = 0
        start = closed
        self.end = closed
        return interval
    }
}
