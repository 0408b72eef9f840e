/// The four kinds of metric the reference tool knows, and therefore the four kinds of sink.
///
/// The type decides how samples combine (sum, last value, ratio, distribution) and which
/// threshold aggregations make sense for the metric.
public enum MetricType: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// A sum of values (`http_reqs`, `data_sent`).
    case counter
    /// The latest value, with the minimum and maximum seen (`vus`).
    case gauge
    /// The share of non-zero samples (`checks`, `http_req_failed`).
    case rate
    /// A distribution of values (`http_req_duration`), kept as an HDR histogram.
    case trend

    public var description: String { rawValue }
}

/// What a metric's values measure, which decides how they are printed (`contains` in the
/// reference's summary export).
public enum ValueKind: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// A plain number.
    case `default`
    /// A duration in milliseconds.
    case time
    /// A size in bytes.
    case data

    public var description: String { rawValue }
}

/// One figure a threshold (or the summary) can read off a metric: `count`, `rate`, `value`,
/// `avg`, `min`, `max`, `med` or `p(N)`.
///
/// Kept beside ``MetricType`` because the pair decides validity: `p(95)` on a Counter is a
/// configuration error, exactly as in the reference tool.
public enum MetricAggregation: Sendable, Hashable, CustomStringConvertible {
    case count
    case rate
    case value
    case avg
    case min
    case max
    case med
    /// A percentile, 0 ≤ N ≤ 100, decimals allowed (`p(99.9)`).
    case percentile(Double)

    /// The aggregations a threshold may use on a metric of the given type (k6-reference §4.1).
    public static func supported(by type: MetricType) -> [String] {
        switch type {
        case .counter: ["count", "rate"]
        case .gauge: ["value"]
        case .rate: ["rate"]
        case .trend: ["avg", "min", "max", "med", "p(N)"]
        }
    }

    /// Whether a metric of `type` can produce this aggregation.
    public func isSupported(by type: MetricType) -> Bool {
        switch (self, type) {
        case (.count, .counter), (.rate, .counter), (.value, .gauge), (.rate, .rate): true
        case (.avg, .trend), (.min, .trend), (.max, .trend), (.med, .trend), (.percentile, .trend): true
        default: false
        }
    }

    /// The text form used in threshold expressions and summary keys (`p(95)`, `p(99.9)`).
    public var description: String {
        switch self {
        case .count: "count"
        case .rate: "rate"
        case .value: "value"
        case .avg: "avg"
        case .min: "min"
        case .max: "max"
        case .med: "med"
        case .percentile(let p): "p(\(MetricAggregation.format(p)))"
        }
    }

    private static func format(_ p: Double) -> String {
        p == p.rounded() && abs(p) < 1e15 ? String(Int64(p)) : String(p)
    }
}
