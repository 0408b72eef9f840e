/// One source of a tree (a node that runs an engine) turning its gauges into steps of the
/// tree-wide totals (``GaugeTotal``) before its metrics go up.
///
/// Why at the source: only the source knows what it reported before, so only it can say by
/// how much its contribution to the total changed; its parent then merely adds, and nothing
/// per source has to travel up the tree.
///
/// Each interval the engine reports counts at the boundary at or after the interval's end
/// (the ends are the report instants, so a source's steps never go back in time). A source
/// that has not reported a gauge before contributes its whole value.
public struct GaugeSource: Sendable {
    /// The boundaries' spacing (the metric interval), in nanoseconds.
    public let spacing: Int64
    /// What this source reported last, per gauge series.
    private var reported: [SeriesKey: Double] = [:]

    /// - Parameter interval: the tree's metric interval; boundaries are its multiples.
    public init(interval: Duration) {
        spacing = Swift.max(1, interval.nanoseconds)
    }

    /// The first boundary at or after `instant` (run-clock nanoseconds).
    public func boundary(atOrAfter instant: Int64) -> Int64 {
        let (quotient, remainder) = instant.quotientAndRemainder(dividingBy: spacing)
        // Division truncates toward zero: round up only for positive remainders.
        return (remainder > 0 ? quotient + 1 : quotient) * spacing
    }

    /// `interval` with every gauge series replaced by its step of the tree-wide total; the
    /// other series are unchanged. Updates what this source last reported.
    public mutating func totals(of interval: IntervalAggregate) -> IntervalAggregate {
        var series = interval.series
        let at = boundary(atOrAfter: interval.end)
        for (key, sink) in interval.series {
            guard case .gauge(let gauge) = sink, let value = gauge.value else { continue }
            var total = GaugeTotal()
            total.add(value - (reported[key] ?? 0), at: at)
            reported[key] = value
            series[key] = .gaugeTotal(total)
        }
        return IntervalAggregate(start: interval.start, end: interval.end, series: series)
    }
}
