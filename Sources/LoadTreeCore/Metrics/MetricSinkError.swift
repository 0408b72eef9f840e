/// Why two sinks could not be combined, or a sink could not be rebuilt from received parts.
///
/// Sinks arrive from other nodes, so a mismatch is reported, never trapped on: a relay must
/// survive one misconfigured agent.
public enum MetricSinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The same series is a different metric type on the two sides.
    case typeMismatch(series: String, expected: MetricType, found: MetricType)
    /// Two trend histograms record different units (a time trend merged with a plain one).
    case unitMismatch(TrendHistogram.Unit, TrendHistogram.Unit)
    /// Parts received for a sink are inconsistent.
    case invalidState(String)
    /// One source's gauge (``GaugeSink``) met a tree-wide total (``GaugeTotal``) of the same
    /// series: a node must turn its own gauges into totals (``GaugeSource``) before merging.
    case gaugeForms(series: String)

    public var description: String {
        switch self {
        case .typeMismatch(let series, let expected, let found):
            "metric \(series) is a \(expected) here but a \(found) in the data being merged; "
                + "one metric name must have one type on every node (rename one of them)"
        case .unitMismatch(let mine, let theirs):
            "cannot merge a trend recorded in \(theirs) units into one recorded in \(mine) units; "
                + "a metric must declare the same value kind (time or not) on every node"
        case .invalidState(let reason):
            "received metric data is inconsistent: \(reason)"
        case .gaugeForms(let series):
            "gauge \(series) arrived as one source's latest value where the tree sums its sources; "
                + "the sender must report gauges as steps of the tree-wide total (protocol version 2)"
        }
    }
}
