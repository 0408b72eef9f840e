/// Everything one node observed during one reporting interval, per series: the batch an
/// agent sends up the tree every second and a relay merges before forwarding.
///
/// Merging is exact, associative and commutative, so the root's totals do not depend on the
/// shape of the tree or on the order in which batches arrive. The bounds of a merged interval
/// cover both inputs (earliest start, latest end).
public struct IntervalAggregate: Sendable, Equatable {
    /// Start of the interval, nanoseconds on the run's clock (inclusive).
    public private(set) var start: Int64
    /// End of the interval, nanoseconds on the run's clock (exclusive); equal to ``start``
    /// until the interval is drained.
    public private(set) var end: Int64
    /// The state of every series that received at least one sample or merge.
    public private(set) var series: [SeriesKey: MetricSink]

    /// An empty interval starting at `start` (and ending at `end`, default `start`).
    public init(start: Int64, end: Int64? = nil) {
        self.start = start
        self.end = Swift.max(end ?? start, start)
        self.series = [:]
    }

    /// An interval rebuilt from parts received from another node.
    public init(start: Int64, end: Int64, series: [SeriesKey: MetricSink]) {
        self.start = Swift.min(start, end)
        self.end = Swift.max(start, end)
        self.series = series
    }

    public var isEmpty: Bool { series.isEmpty }

    /// The series keys in a stable order (by name, then tags).
    public var sortedKeys: [SeriesKey] { series.keys.sorted() }

    /// Adds one sample to `key`, creating its sink with `type` and `kind` on first use.
    ///
    /// - Throws: ``MetricSinkError/typeMismatch(series:expected:found:)`` when `key` already
    ///   holds a different type (or a trend of another unit); nothing is added then.
    public mutating func add(
        _ value: Double, to key: SeriesKey, type: MetricType, kind: ValueKind = .default, at time: Int64
    ) throws(MetricSinkError) {
        // One hash lookup per sample; mutate through the dictionary's in-place accessors so a
        // trend is never copied.
        guard let index = series.index(forKey: key) else {
            var sink = MetricSink(type: type, kind: kind)
            sink.add(value: value, at: time)
            series[key] = sink
            return
        }
        guard series.values[index].accepts(type: type, kind: kind) else {
            throw mismatch(key, series.values[index], MetricSink(type: type, kind: kind))
        }
        series.values[index].add(value: value, at: time)
    }

    /// Merges another interval's series into this one and widens the bounds to cover it.
    ///
    /// - Throws: ``MetricSinkError`` when a series has different types on the two sides.
    ///   Every series is checked before anything changes, so on error `self` is unchanged.
    public mutating func merge(_ other: IntervalAggregate) throws(MetricSinkError) {
        // One hash lookup per series: the indices found while checking stay valid while only
        // values change, so the merge reuses them; new series are inserted last.
        var indices: [Dictionary<SeriesKey, MetricSink>.Index?] = []
        indices.reserveCapacity(other.series.count)
        for (key, theirs) in other.series {
            let index = series.index(forKey: key)
            if let index { try series.values[index].checkMerge(theirs, series: key.description) }
            indices.append(index)
        }
        var fresh = false
        for (position, theirs) in zip(indices, other.series.values) {
            guard let index = position else {
                fresh = true
                continue
            }
            // `checkMerge` above throws whatever this could, so this cannot fail. Merged in
            // place through the index: no copy of a trend's counts.
            try? series.values[index].merge(theirs)
        }
        if fresh {
            for (position, (key, theirs)) in zip(indices, other.series) where position == nil {
                series[key] = theirs
            }
        }
        start = Swift.min(start, other.start)
        end = Swift.max(end, other.end)
    }

    /// Closes the interval at `end` (or later, if merged batches already reach further),
    /// returns it, and starts a new empty one where it ended.
    public mutating func drain(at end: Int64) -> IntervalAggregate {
        var finished = self
        finished.end = Swift.max(end, finished.end)
        self = IntervalAggregate(start: finished.end)
        return finished
    }

    /// This interval with each of its gauge series as `other` holds it (the root's running
    /// totals: a batch's ``GaugeTotal`` holds only the changes that batch brought).
    public func withGauges(of other: IntervalAggregate) -> IntervalAggregate {
        var copy = self
        for (key, sink) in series where sink.type == .gauge {
            if let theirs = other.series[key] { copy.series[key] = theirs }
        }
        return copy
    }

    private func mismatch(_ key: SeriesKey, _ mine: MetricSink, _ theirs: MetricSink) -> MetricSinkError {
        if case .trend(let a) = mine, case .trend(let b) = theirs {
            return .unitMismatch(a.histogram.unit, b.histogram.unit)
        }
        if mine.type == .gauge, theirs.type == .gauge { return .gaugeForms(series: key.description) }
        return .typeMismatch(series: key.description, expected: mine.type, found: theirs.type)
    }
}
