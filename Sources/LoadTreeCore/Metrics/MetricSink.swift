/// The state of one series, whatever its metric type: what an interval aggregate holds per
/// series and what thresholds and the summary read.
///
/// Merging two sinks is exact and associative (and commutative), so a relay can combine its
/// children's sinks in any order and grouping and the root still sees the numbers a single
/// process recording every sample would have.
public enum MetricSink: Sendable, Equatable {
    case counter(CounterSink)
    case gauge(GaugeSink)
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
        case .gauge: .gauge
        case .rate: .rate
        case .trend: .trend
        }
    }

    /// Whether no sample has been added or merged in.
    public var isEmpty: Bool {
        switch self {
        case .counter(let sink): sink.isEmpty
        case .gauge(let sink): sink.isEmpty
        case .rate(let sink): sink.isEmpty
        case .trend(let sink): sink.isEmpty
        }
    }

    /// Adds one sample taken at `time` (nanoseconds on the run's clock).
    public mutating func add(value: Double, at time: Int64) {
        switch self {
        case .counter(var sink):
            sink.add(value, at: time)
            self = .counter(sink)
        case .gauge(var sink):
            sink.add(value, at: time)
            self = .gauge(sink)
        case .rate(var sink):
            sink.add(value)
            self = .rate(sink)
        case .trend(var sink):
            sink.add(value)
            self = .trend(sink)
        }
    }

    /// Adds everything `other` holds.
    ///
    /// - Throws: ``MetricSinkError`` when the types (or a trend's units) differ; `self` is then
    ///   unchanged. `series` only names the series in the error.
    public mutating func merge(_ other: MetricSink, series: String = "") throws(MetricSinkError) {
        switch (self, other) {
        case (.counter(var mine), .counter(let theirs)):
            mine.merge(theirs)
            self = .counter(mine)
        case (.gauge(var mine), .gauge(let theirs)):
            mine.merge(theirs)
            self = .gauge(mine)
        case (.rate(var mine), .rate(let theirs)):
            mine.merge(theirs)
            self = .rate(mine)
        case (.trend(var mine), .trend(let theirs)):
            try mine.merge(theirs)
            self = .trend(mine)
        default:
            throw .typeMismatch(series: series, expected: type, found: other.type)
        }
    }

    /// Whether `other` can be merged into `self` (same type, same trend unit).
    public func canMerge(_ other: MetricSink) -> Bool {
        switch (self, other) {
        case (.counter, .counter), (.gauge, .gauge), (.rate, .rate): true
        case (.trend(let mine), .trend(let theirs)): mine.histogram.unit == theirs.histogram.unit
        default: false
        }
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
