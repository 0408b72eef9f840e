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
    /// Samples recorded or merged densely; the one shared empty histogram until the first
    /// sample, so that an empty trend (and one received from another node) allocates nothing.
    private var dense: Histogram<UInt64>
    /// Counts received from another node, as received. A trend decoded from the wire stays
    /// sparse until something is merged into it or recorded in it (see ``SparseCounts``).
    private var sparse: SparseCounts
    /// Received counts merged together (what a relay or the root accumulates). At most one of
    /// ``dense``, ``sparse`` and ``window`` holds samples.
    private var window: CountsWindow
    /// How many samples fell outside [0, ``highestTrackableValue``] and were clamped.
    public private(set) var clampedCount: UInt64

    /// The empty histogram with the trend layout, shared by every empty trend.
    private static let emptyDense: Histogram<UInt64> = layout.makeHistogram()

    /// An empty histogram for samples of the given unit.
    public init(unit: Unit) {
        self.unit = unit
        self.dense = Self.emptyDense
        self.sparse = SparseCounts()
        self.window = CountsWindow()
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
        self.dense = histogram
        self.sparse = SparseCounts()
        self.window = CountsWindow()
        self.clampedCount = clampedCount
    }

    /// Rebuilds a trend histogram from the slots of a histogram received from another node
    /// (``HDRCodec/decodeSlots(_:limits:)``), keeping them sparse.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when `layout` is not the trend layout,
    ///   or the slots claim fewer samples than `clampedCount`.
    public init(unit: Unit, layout: HDRLayout, counts: SparseCounts, clampedCount: UInt64) throws(MetricSinkError) {
        guard layout == Self.layout else {
            throw .invalidState(
                "trend histogram layout must be 1..\(Self.highestTrackableValue) at 3 digits, found "
                    + "\(layout.lowestDiscernibleValue)..\(layout.highestTrackableValue) at \(layout.significantDigits) digits")
        }
        guard clampedCount <= counts.totalCount else {
            throw .invalidState("trend histogram claims \(clampedCount) clamped samples but holds \(counts.totalCount)")
        }
        self.unit = unit
        self.dense = Self.emptyDense
        self.sparse = counts
        self.window = CountsWindow()
        self.clampedCount = clampedCount
    }

    /// The samples as one hdrhistogram-swift histogram, in recorded units (built on demand
    /// for a trend still held sparse).
    public var histogram: Histogram<UInt64> {
        guard !sparse.isEmpty || !window.isEmpty else { return dense }
        var copy = self
        copy.foldIntoDense()
        return copy.dense
    }

    /// The number of samples recorded.
    public var count: UInt64 { dense.totalCount &+ sparse.totalCount &+ window.totalCount }

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
        if !sparse.isEmpty || !window.isEmpty { foldIntoDense() }
        // In range by construction, so `record` cannot refuse it.
        dense.record(value)
    }

    /// Adds every sample of `other`.
    ///
    /// Costs what `other` holds: into an empty trend it is simply taken over; received
    /// (sparse) trends accumulate slot by slot in a window of the slots they use; only a dense
    /// side (samples recorded here) makes it a walk of the whole counts array.
    ///
    /// - Throws: ``MetricSinkError/unitMismatch(_:_:)`` when the two record different units.
    public mutating func merge(_ other: TrendHistogram) throws(MetricSinkError) {
        guard unit == other.unit else { throw .unitMismatch(unit, other.unit) }
        guard !count.addingReportingOverflow(other.count).overflow else {
            throw .invalidState("merged trend would hold more than 2^64 - 1 samples")
        }
        clampedCount &+= other.clampedCount
        if count == 0 {
            dense = other.dense
            sparse = other.sparse
            window = other.window
            return
        }
        let length = Self.layout.countsLength
        guard dense.totalCount == 0, other.dense.totalCount == 0 else {
            foldIntoDense()
            if other.dense.totalCount > 0 { dense.add(other.dense) }
            // Indices were checked against the trend layout when `other` was decoded.
            _ = Self.layout.add(other.sparse, to: &dense)
            Self.add(other.window, to: &dense)
            return
        }
        if !sparse.isEmpty {
            window.add(sparse, countsLength: length)
            sparse = SparseCounts()
        }
        window.add(other.sparse, countsLength: length)
        window.add(other.window, countsLength: length)
    }

    /// Empties the histogram, keeping its unit.
    public mutating func reset() {
        if dense.totalCount > 0 { dense.reset() }
        sparse = SparseCounts()
        window = CountsWindow()
        clampedCount = 0
    }

    /// The uncompressed V2 encoding of the samples, written from whichever form holds them
    /// (what travels up the tree when it is small, see ``HDRCodec/compress(_:)``).
    public func encoded() throws(HDRCodecError) -> [UInt8] {
        if !window.isEmpty { return try HDRCodec.encode(window.sparse, layout: Self.layout) }
        if !sparse.isEmpty { return try HDRCodec.encode(sparse, layout: Self.layout) }
        return try HDRCodec.encode(dense)
    }

    /// The compressed V2 encoding of the samples, written from whichever form holds them.
    public func encodedCompressed() throws(HDRCodecError) -> [UInt8] {
        if !window.isEmpty { return try HDRCodec.encodeCompressed(window.sparse, layout: Self.layout) }
        if !sparse.isEmpty { return try HDRCodec.encodeCompressed(sparse, layout: Self.layout) }
        return try HDRCodec.encodeCompressed(dense)
    }

    /// Calls `body` with the index, the middle value (in recorded units) and the count of
    /// every non-empty slot, in increasing order, until `body` returns false.
    public func forEachNonEmptySlot(_ body: (_ index: Int, _ medianValue: UInt64, _ count: UInt64) -> Bool) {
        guard window.isEmpty else {
            window.forEachNonEmptySlot { index, count in body(index, Self.layout.medianValue(atIndex: index), count) }
            return
        }
        guard sparse.isEmpty else {
            for slot in sparse.slots where !body(slot.index, Self.layout.medianValue(atIndex: slot.index), slot.count) {
                return
            }
            return
        }
        Self.layout.forEachNonEmptySlot(of: dense) { index, _, count in
            body(index, Self.layout.medianValue(atIndex: index), count)
        }
    }

    /// Moves received counts into the dense histogram (before recording a sample here, or
    /// merging a dense one).
    private mutating func foldIntoDense() {
        _ = Self.layout.add(sparse, to: &dense)
        sparse = SparseCounts()
        Self.add(window, to: &dense)
        window = CountsWindow()
    }

    private static func add(_ window: CountsWindow, to histogram: inout Histogram<UInt64>) {
        window.forEachNonEmptySlot { index, count in
            // Indices of received slots were checked against the trend layout: cannot refuse.
            histogram.record(layout.value(atIndex: index), count: count)
            return true
        }
    }

    /// Equal when they record the same unit, the same clamped count and the same count in
    /// every slot, whichever form holds them.
    public static func == (lhs: TrendHistogram, rhs: TrendHistogram) -> Bool {
        guard lhs.unit == rhs.unit, lhs.clampedCount == rhs.clampedCount, lhs.count == rhs.count else { return false }
        if lhs.sparse.isEmpty, rhs.sparse.isEmpty, lhs.window.isEmpty, rhs.window.isEmpty { return lhs.dense == rhs.dense }
        var left: [SparseCounts.Slot] = []
        var right: [SparseCounts.Slot] = []
        lhs.forEachNonEmptySlot { left.append(.init(index: $0, count: $2)); return true }
        rhs.forEachNonEmptySlot { right.append(.init(index: $0, count: $2)); return true }
        return left == right
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
        forEachNonEmptySlot { _, medianValue, slotCount in
            seen &+= slotCount
            last = medianValue
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
