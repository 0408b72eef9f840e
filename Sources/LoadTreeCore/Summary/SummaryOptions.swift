/// What the end-of-test summary shows: the trend statistics (`--summary-trend-stats`) and a
/// fixed time unit (`--summary-time-unit`), as in the reference.
public struct SummaryOptions: Sendable, Hashable {
    public var trendStats: [String]
    public var timeUnit: ValueFormat.TimeUnit?

    /// The reference's default trend statistics.
    public static let defaultTrendStats = ["avg", "min", "med", "max", "p(90)", "p(95)"]

    public init(trendStats: [String] = SummaryOptions.defaultTrendStats, timeUnit: ValueFormat.TimeUnit? = nil) {
        self.trendStats = trendStats
        self.timeUnit = timeUnit
    }

    /// Parses a list like `avg,p(99),p(99.9),max`; `count` is accepted too.
    public static func parseTrendStats(_ text: String) throws(ThresholdError) -> [String] {
        let stats = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        for stat in stats where stat != "count" {
            _ = try ThresholdExpression.parse("\(stat)<0").aggregation
        }
        return stats
    }
}

extension TrendSink {
    /// The figure a trend statistic names (`avg`, `p(99.9)`, `count`, ...).
    func statistic(_ name: String) -> Double? {
        if name == "count" { return Double(count) }
        guard let aggregation = try? ThresholdExpression.parse("\(name)<0").aggregation else { return nil }
        return MetricSink.trend(self).value(of: aggregation, testDuration: .seconds(1))
    }
}
