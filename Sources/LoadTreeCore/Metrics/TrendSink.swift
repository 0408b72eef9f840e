/// The state of a Trend series: an HDR histogram of its samples, plus the exact minimum,
/// maximum and sum, so that `avg`, `min` and `max` are exact and only percentiles carry the
/// histogram's 0.1 % resolution.
///
/// The reference keeps every raw sample; that cannot travel up a tree of thousands of agents
/// every second, a fixed-layout histogram can, and merges exactly.
public struct TrendSink: Sendable, Equatable {
    /// The distribution.
    public private(set) var histogram: TrendHistogram
    /// The smallest sample (nil when empty).
    public private(set) var min: Double?
    /// The largest sample (nil when empty).
    public private(set) var max: Double?
    /// The sum of all samples. Exact, and so associative under merging, for samples that are
    /// integers (or multiples of a common power-of-two fraction) summing below 2^53.
    public private(set) var sum: Double

    /// An empty trend for samples of the given kind (time trends are in milliseconds).
    public init(kind: ValueKind = .default) {
        self.init(unit: TrendHistogram.Unit(kind: kind))
    }

    /// An empty trend recording in the given unit.
    public init(unit: TrendHistogram.Unit) {
        histogram = TrendHistogram(unit: unit)
        min = nil
        max = nil
        sum = 0
    }

    /// A trend rebuilt from parts received from another node.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when the parts disagree (min/max present
    ///   for an empty histogram or missing for a non-empty one, min above max, non-finite).
    public init(histogram: TrendHistogram, min: Double?, max: Double?, sum: Double) throws(MetricSinkError) {
        switch (histogram.count, min, max) {
        case (0, nil, nil):
            guard sum == 0 else { throw .invalidState("an empty trend has sum \(sum)") }
        case (1..., let low?, let high?):
            guard low.isFinite, high.isFinite, sum.isFinite, low <= high else {
                throw .invalidState("trend min \(low), max \(high) and sum \(sum) must be finite with min ≤ max")
            }
        default:
            throw .invalidState("trend of \(histogram.count) samples needs min and max exactly when non-empty")
        }
        self.histogram = histogram
        self.min = min
        self.max = max
        self.sum = sum
    }

    /// The number of samples.
    public var count: UInt64 { histogram.count }

    public var isEmpty: Bool { count == 0 }

    /// The exact mean; nil when empty.
    public var average: Double? { isEmpty ? nil : sum / Double(count) }

    /// Adds a sample. Non-finite samples (NaN, ±∞) are ignored: they have no place in a
    /// distribution and would make `avg` meaningless.
    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        histogram.record(value)
        min = min.map { Swift.min($0, value) } ?? value
        max = max.map { Swift.max($0, value) } ?? value
        sum += value
    }

    /// Adds every sample of `other`.
    ///
    /// - Throws: ``MetricSinkError/unitMismatch(_:_:)`` when the two trends record different
    ///   units; `self` is then unchanged.
    public mutating func merge(_ other: TrendSink) throws(MetricSinkError) {
        try histogram.merge(other.histogram)
        if let low = other.min { min = min.map { Swift.min($0, low) } ?? low }
        if let high = other.max { max = max.map { Swift.max($0, high) } ?? high }
        sum += other.sum
    }

    /// The reference's percentile, `p` in 0...100: with h = p/100·(n−1), the linear
    /// interpolation between the ⌊h⌋-th and ⌈h⌉-th smallest samples. The order statistics come
    /// from the histogram (the midpoint of the slot holding that rank), except that the first
    /// and last ranks are the exact min and max, and every value is kept within [min, max].
    /// Nil when empty or when `p` is outside 0...100.
    public func percentile(_ p: Double) -> Double? {
        percentiles([p])[0]
    }

    /// Several percentiles at once, with a single walk over the histogram (the summary asks
    /// for p(90), p(95) and the median together). Same semantics as ``percentile(_:)``.
    public func percentiles(_ ps: [Double]) -> [Double?] {
        guard let low = min, let high = max else { return ps.map { _ in nil } }
        let n = count
        let last = Double(n - 1)
        var ranks: [UInt64] = []
        var plans: [(lower: Int, upper: Int, fraction: Double)?] = []
        for p in ps {
            guard p >= 0, p <= 100 else {
                plans.append(nil)
                continue
            }
            let h = p / 100 * last
            // Compare in Double before converting: for huge counts h can round up to n − 1
            // or past it, and 2^64 does not fit in UInt64.
            let lowerRank = h >= last ? n - 1 : UInt64(h.rounded(.down))
            let upperRank = h >= last ? n - 1 : Swift.min(UInt64(h.rounded(.up)), n - 1)
            plans.append((ranks.count, ranks.count + 1, h >= last ? 0 : h - Double(lowerRank)))
            ranks.append(lowerRank)
            ranks.append(upperRank)
        }
        let recorded = histogram.recordedValues(atRanks: ranks)
        func sample(_ slot: Int) -> Double {
            let rank = ranks[slot]
            if rank == 0 { return low }
            if rank == n - 1 { return high }
            return Swift.min(Swift.max(histogram.sampleValue(ofRecorded: recorded[slot]), low), high)
        }
        return plans.map { plan in
            guard let plan else { return nil }
            let j = sample(plan.lower)
            let k = sample(plan.upper)
            return j + (k - j) * plan.fraction
        }
    }

    /// The median (`med`), the 50th percentile.
    public var median: Double? { percentile(50) }
}
