/// What the end-of-test summary shows: the trend statistics (`--summary-trend-stats`), a fixed
/// time unit (`--summary-time-unit`) and how much detail (`--summary-mode`), as in the reference.
public struct SummaryOptions: Sendable, Hashable {
    /// The reference's summary modes (its `legacy` mode, the pre-1.0 layout, is not offered).
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Thresholds, checks and the metrics of the whole test.
        case compact
        /// The compact summary, then the same figures for every group and every scenario.
        case full
        /// No summary text (the export is still written when asked for).
        case disabled
    }

    public var trendStats: [String]
    public var timeUnit: ValueFormat.TimeUnit?
    public var mode: Mode

    /// The reference's default trend statistics.
    public static let defaultTrendStats = ["avg", "min", "med", "max", "p(90)", "p(95)"]

    public init(trendStats: [String] = SummaryOptions.defaultTrendStats, timeUnit: ValueFormat.TimeUnit? = nil,
                mode: Mode = .compact) {
        self.trendStats = trendStats
        self.timeUnit = timeUnit
        self.mode = mode
    }

    /// Parses a list like `avg,p(99),p(99.9),max`; `count` is accepted too.
    public static func parseTrendStats(_ text: String) throws(ThresholdError) -> [String] {
        let stats = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        for stat in stats where stat != "count" {
            _ = try MetricAggregation(parsing: stat)
        }
        return stats
    }
}

extension TrendSink {
    /// The figures trend statistics name (`avg`, `med`, `p(99.9)`, `count`, ...), with every
    /// percentile taken in one walk over the histogram.
    func statistics(_ names: [String]) -> [Double?] {
        let aggregations = names.map { $0 == "count" ? nil : try? MetricAggregation(parsing: $0) }
        var wanted: [Double] = []
        for aggregation in aggregations {
            switch aggregation {
            case .percentile(let p)?: wanted.append(p)
            case .med?: wanted.append(50)
            default: break
            }
        }
        var percentiles = self.percentiles(wanted).makeIterator()
        return zip(names, aggregations).map { name, aggregation in
            switch aggregation {
            case .percentile?, .med?: return percentiles.next() ?? nil
            case .avg?: return average
            case .min?: return min
            case .max?: return max
            default: return name == "count" ? Double(count) : nil
            }
        }
    }
}
