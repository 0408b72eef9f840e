import Histogram

/// The distribution behind a Trend metric: an HDR histogram with one fixed layout, so that
/// every node's histograms merge slot by slot, exactly, in any order.
///
/// Layout: lowest discernible value 1, highest trackable value 3 600 000 000, 3 significant
/// digits. Time trends (samples in milliseconds) are recorded in whole **microseconds**, so
/// they cover 1 µs to 1 hour at 0.1 % resolution; other trends record the sample rounded to
/// an integer over the same range. Samples outside the range are clamped to its ends and
/// counted in ``clampedCount`` so that a report can say the distribution was cut.
public struct TrendHistogram: Sendable, Equatable {
    /// How a sample maps to a recorded integer.
    public enum Unit: String, Sendable, Hashable, CustomStringConvertible {
        /// Samples are milliseconds, recorded as rounded microseconds.
        case milliseconds
        /// Samples are recorded rounded to the nearest integer.
        case plain

        /// The unit used for a metric of the given kind.
        public init(kind: ValueKind) {
            self = kind == .time ? .milliseconds : .plain
        }

        /// How many recorded units make one sample unit.
        public var scale: Double { self == .milliseconds ? 1_000 : 1 }

        public var description: String { rawValue }
    }

    /// The lowest discernible value of every trend histogram.
    public static let lowestDiscernibleValue: UInt64 = 1
    /// The highest trackable value of every trend histogram (one hour in microseconds).
    public static let highestTrackableValue: UInt64 = 3_600_000_000
    /// The resolution of every trend histogram.
    public static let significantDigits: SignificantDigits = .three

    /// The slot layout shared by every trend histogram.
    public static let layout: HDRLayout = {
        do {
            return try HDRLayout(
                lowestDiscernibleValue: lowestDiscernibleValue, highestTrackableValue: highestTrackableValue,
                significantDigits: Int(significantDigits.rawValue))
        } catch {
            // Constant arguments, valid by inspection (and by HDRLayoutTests): cannot happen.
            fatalError("trend histogram layout is invalid: \(error)")
        }
    }()

    /// How samples map to recorded integers.
    public let unit: Unit
    /// The underlying histogram, in recorded units.
    public private(set) var histogram: Histogram<UInt64>
    /// How many samples fell outside [0, ``highestTrackableValue``] and were clamped.
    public private(set) var clampedCount: UInt64

    /// An empty histogram for samples of the given unit.
    public init(unit: Unit) {
        self.unit = unit
        self.histogram = Histogram<UInt64>(
            lowestDiscernibleValue: Self.lowestDiscernibleValue,
            highestTrackableValue: Self.highestTrackableValue,
            numberOfSignificantValueDigits: Self.significantDigits)
        self.clampedCount = 0
    }

    /// Rebuilds a trend histogram from parts received from another node.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when the histogram does not have the trend
    ///   layout, or claims more clamped samples than it holds.
    public init(unit: Unit, histogram: Histogram<UInt64>, clampedCount: UInt64) throws(MetricSinkError) {
        guard histogram.lowestDiscernibleValue == Self.lowestDiscernibleValue,
            histogram.highestTrackableValue == Self.highestTrackableValue,
            histogram.numberOfSignificantValueDigits == Self.significantDigits,
            !histogram.autoResize
        else {
            throw .invalidState(
                "trend histogram layout must be 1..\(Self.highestTrackableValue) at 3 digits, found "
                    + "\(histogram.lowestDiscernibleValue)..\(histogram.highestTrackableValue) at "
                    + "\(histogram.numberOfSignificantValueDigits.rawValue) digits")
        }
        guard clampedCount <= histogram.totalCount else {
            throw .invalidState("trend histogram claims \(clampedCount) clamped samples but holds \(histogram.totalCount)")
        }
        self.unit = unit
        self.histogram = histogram
        self.clampedCount = clampedCount
    }

    /// The number of samples recorded.
    public var count: UInt64 { histogram.totalCount }

    /// The integer a sample is recorded as, and whether it had to be clamped.
    public static func recordedValue(for sample: Double, unit: Unit) -> (value: UInt64, clamped: Bool) {
        let scaled = (sample * unit.scale).rounded()
        if scaled.isNaN || scaled < 0 { return (0, true) }
        if scaled > Double(highestTrackableValue) { return (highestTrackableValue, true) }
        return (UInt64(scaled), false)
    }

    /// Records one sample (in sample units: milliseconds for time trends).
    public mutating func record(_ sample: Double) {
        let (value, clamped) = Self.recordedValue(for: sample, unit: unit)
        if clamped { clampedCount &+= 1 }
        // In range by construction, so `record` cannot refuse it.
        histogram.record(value)
    }

    /// Adds every sample of `other`.
    ///
    /// - Throws: ``MetricSinkError/unitMismatch(_:_:)`` when the two record different units.
    public mutating func merge(_ other: TrendHistogram) throws(MetricSinkError) {
        guard unit == other.unit else { throw .unitMismatch(unit, other.unit) }
        guard !count.addingReportingOverflow(other.count).overflow else {
            throw .invalidState("merged trend would hold more than 2^64 - 1 samples")
        }
        histogram.add(other.histogram)
        clampedCount &+= other.clampedCount
    }

    /// Empties the histogram, keeping its unit.
    public mutating func reset() {
        histogram.reset()
        clampedCount = 0
    }

    /// A recorded integer converted back to sample units.
    public func sampleValue(ofRecorded value: UInt64) -> Double {
        Double(value) / unit.scale
    }

    /// The recorded values of the samples at the given 0-based ranks in sorted order, each as
    /// the midpoint of its histogram slot (in recorded units).
    ///
    /// This is an order statistic, not `valueAtPercentile`: the reference's interpolation needs
    /// the ⌊h⌋-th and ⌈h⌉-th smallest samples. Ranks at or beyond ``count`` give the last slot.
    /// One walk over the recorded slots answers all ranks.
    public func recordedValues(atRanks ranks: [UInt64]) -> [UInt64] {
        guard count > 0, !ranks.isEmpty else { return [] }
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var answers = [UInt64](repeating: 0, count: ranks.count)
        var next = 0
        var seen: UInt64 = 0
        var last: UInt64 = 0
        Self.layout.forEachNonEmptySlot(of: histogram) { _, lowestValue, slotCount in
            seen &+= slotCount
            last = histogram.medianEquivalentForValue(lowestValue)
            while next < order.count, ranks[order[next]] < seen {
                answers[order[next]] = last
                next += 1
            }
            return next < order.count
        }
        while next < order.count {
            answers[order[next]] = last
            next += 1
        }
        return answers
    }
}
