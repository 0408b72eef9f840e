/// The state of one series, whatever its metric type: what an interval aggregate holds per
/// series and what thresholds and the summary read.
///
/// Merging two sinks is exact and associative (and commutative), so a relay can combine its
/// children's sinks in any order and grouping and the root still sees the numbers a single
/// process recording every sample would have.
public enum MetricSink: Sendable, Equatable {
    case counter(CounterSink)
    /// One source's gauge (a process's own samples: the latest wins).
    case gauge(GaugeSink)
    /// A gauge summed over a tree's sources (what relays merge and the root reports); a
    /// source turns its gauges into this form with ``GaugeSource`` before they go up.
    case gaugeTotal(GaugeTotal)
    case rate(RateSink)
    case trend(TrendSink)

    /// An empty sink for a metric of `type`; `kind` decides a trend's recording unit.
    public init(type: MetricType, kind: ValueKind = .default) {
        switch type {
        case .counter: self = .counter(CounterSink())
        case .gauge: self = .gauge(GaugeSink())
        case .rate: self = .rate(RateSink())
        case .trend: self = .trend(TrendSink(kind: kind))
        }
    }

    /// The metric type this sink aggregates.
    public var type: MetricType {
        switch self {
        case .counter: .counter
        case .gauge, .gaugeTotal: .gauge
        case .rate: .rate
        case .trend: .trend
        }
    }

    /// Whether no sample has been added or merged in.
    public var isEmpty: Bool {
        switch self {
        case .counter(let sink): sink.isEmpty
        case .gauge(let sink): sink.isEmpty
        case .gaugeTotal(let sink): sink.isEmpty
        case .rate(let sink): sink.isEmpty
        case .trend(let sink): sink.isEmpty
        }
    }

    /// Adds one sample taken at `time` (nanoseconds on the run's clock).
    public mutating func add(value: Double, at time: Int64) {
        // Each case first parks a trivial value in `self` so that the extracted payload is the
        // only reference to its storage and mutates in place (a trend's counts array is
        // 188 KB; without this every sample would copy it).
        switch self {
        case .counter(var sink):
            self = .placeholder
            sink.add(value, at: time)
            self = .counter(sink)
        case .gauge(var sink):
            self = .placeholder
            sink.add(value, at: time)
            self = .gauge(sink)
        case .gaugeTotal:
            // A total is built from sources' reports (``GaugeSource``), never from samples;
            // ``accepts(type:kind:)`` refuses samples for it, so nothing reaches here.
            break
        case .rate(var sink):
            self = .placeholder
            sink.add(value)
            self = .rate(sink)
        case .trend(var sink):
            self = .placeholder
            sink.add(value)
            self = .trend(sink)
        }
    }

    /// Adds everything `other` holds.
    ///
    /// - Throws: ``MetricSinkError`` when the types (or a trend's units) differ; `self` is then
    ///   unchanged. `series` only names the series in the error, and is only built then (a
    ///   relay merges tens of thousands of series a second).
    public mutating func merge(_ other: MetricSink, series: @autoclosure () -> String = "") throws(MetricSinkError) {
        // Each case checks exactly what ``checkMerge(_:series:)`` checks, before changing
        // anything (a relay merges tens of thousands of series a second: checking twice, or
        // copying both sinks into a tuple to compare them, showed in its profile). Switch on
        // `self` alone, park a placeholder, mutate the now uniquely referenced payload, put it
        // back.
        switch self {
        case .counter(var mine):
            guard case .counter(let theirs) = other else { throw mismatch(other, series: series()) }
            self = .placeholder
            mine.merge(theirs)
            self = .counter(mine)
        case .gauge(var mine):
            guard case .gauge(let theirs) = other else { throw mismatch(other, series: series()) }
            self = .placeholder
            mine.merge(theirs)
            self = .gauge(mine)
        case .gaugeTotal(var mine):
            guard case .gaugeTotal(let theirs) = other else { throw mismatch(other, series: series()) }
            self = .placeholder
            mine.merge(theirs)
            self = .gaugeTotal(mine)
        case .rate(var mine):
            guard case .rate(let theirs) = other else { throw mismatch(other, series: series()) }
            self = .placeholder
            mine.merge(theirs)
            self = .rate(mine)
        case .trend(var mine):
            guard case .trend(let theirs) = other else { throw mismatch(other, series: series()) }
            guard mine.histogram.unit == theirs.histogram.unit else {
                throw .unitMismatch(mine.histogram.unit, theirs.histogram.unit)
            }
            guard !mine.count.addingReportingOverflow(theirs.count).overflow else {
                throw .invalidState("merging \(series()) would hold more than 2^64 - 1 samples")
            }
            self = .placeholder
            // Checked above; should the trend still refuse, it is left untouched and goes
            // back as it was.
            do {
                try mine.merge(theirs)
            } catch {
                self = .trend(mine)
                throw error
            }
            self = .trend(mine)
        }
    }

    /// The error for merging `other`, of another type (or form of gauge), into `self`.
    private func mismatch(_ other: MetricSink, series: String) -> MetricSinkError {
        if type == .gauge, other.type == .gauge { return .gaugeForms(series: series) }
        return .typeMismatch(series: series, expected: type, found: other.type)
    }

    /// Whether a sample of `type` and `kind` belongs in this sink (same type and, for a
    /// trend, same recording unit). A tree-wide gauge total takes no samples.
    public func accepts(type: MetricType, kind: ValueKind) -> Bool {
        switch self {
        case .trend(let sink): type == .trend && sink.histogram.unit == TrendHistogram.Unit(kind: kind)
        case .gaugeTotal: false
        default: self.type == type
        }
    }

    /// A value with no storage, parked in `self` while a payload is mutated.
    private static var placeholder: MetricSink { .rate(RateSink()) }

    /// Throws exactly the error ``merge(_:series:)`` would throw, without changing anything:
    /// different types, different trend units, or a trend count that would pass 2^64 − 1.
    /// Lets a caller validate a whole batch before merging any of it.
    public func checkMerge(_ other: MetricSink, series: @autoclosure () -> String = "") throws(MetricSinkError) {
        guard canMerge(other) else {
            if case .trend(let mine) = self, case .trend(let theirs) = other {
                throw .unitMismatch(mine.histogram.unit, theirs.histogram.unit)
            }
            if type == .gauge, other.type == .gauge { throw .gaugeForms(series: series()) }
            throw .typeMismatch(series: series(), expected: type, found: other.type)
        }
        if case .trend(let mine) = self, case .trend(let theirs) = other,
            mine.count.addingReportingOverflow(theirs.count).overflow
        {
            throw .invalidState("merging \(series()) would hold more than 2^64 - 1 samples")
        }
    }

    /// Whether `other` can be merged into `self` (same type, same trend unit).
    public func canMerge(_ other: MetricSink) -> Bool {
        // Matched one side at a time: a tuple of both would copy two sinks per call.
        switch self {
        case .counter: if case .counter = other { return true }
        case .gauge: if case .gauge = other { return true }
        case .gaugeTotal: if case .gaugeTotal = other { return true }
        case .rate: if case .rate = other { return true }
        case .trend(let mine): if case .trend(let theirs) = other { return mine.histogram.unit == theirs.histogram.unit }
        }
        return false
    }

    /// The figure a threshold or the summary reads, with the reference's semantics:
    /// Counter `count` (the sum) and `rate` (sum ÷ test seconds), Gauge `value`, Rate `rate`
    /// (non-zero ÷ all), Trend `avg`, `min`, `max`, `med`, `p(N)`.
    ///
    /// Nil when the aggregation does not apply to this type, when there is no sample to read
    /// it from (a missing figure, which lets a threshold pass), or for a Counter `rate` over a
    /// zero duration. An empty Counter's `count` is 0, as in the reference.
    public func value(of aggregation: MetricAggregation, testDuration: Duration) -> Double? {
        switch (self, aggregation) {
        case (.counter(let sink), .count): sink.sum
        case (.counter(let sink), .rate): sink.rate(over: testDuration)
        case (.gauge(let sink), .value): sink.value
        case (.gaugeTotal(let sink), .value): sink.value
        case (.rate(let sink), .rate): sink.rate
        case (.trend(let sink), .avg): sink.average
        case (.trend(let sink), .min): sink.min
        case (.trend(let sink), .max): sink.max
        case (.trend(let sink), .med): sink.median
        case (.trend(let sink), .percentile(let p)): sink.percentile(p)
        default: nil
        }
    }
}
