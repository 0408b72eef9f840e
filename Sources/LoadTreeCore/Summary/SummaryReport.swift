import Foundation

/// The end-of-test summary, computed once from what was recorded and printed two ways: the
/// reference's text (sections headed with █) and its `--summary-export` JSON, to which LoadTree
/// adds each trend's HDR histogram (base64 V2 compressed) so results can be merged later.
public struct SummaryReport: Sendable {
    public let view: MetricsView
    public let verdicts: [ThresholdEvaluator.Verdict]
    public let testDuration: Duration
    public let options: SummaryOptions
    public let checks: CheckGroup
    /// Lines printed above the results, e.g. that TLS verification was off: a run whose
    /// numbers a reader might trust too much says so where the numbers are.
    public let warnings: [String]
    private let kinds: [String: ValueKind]

    /// - Parameter metricKinds: the kind of custom metrics (built-in ones are known).
    public init(view: MetricsView, verdicts: [ThresholdEvaluator.Verdict], testDuration: Duration,
                options: SummaryOptions = SummaryOptions(), metricKinds: [String: ValueKind] = [:],
                warnings: [String] = []) {
        self.view = view
        self.warnings = warnings
        self.verdicts = verdicts
        self.testDuration = testDuration
        self.options = options
        self.checks = CheckGroup.build(from: view)
        var kinds = metricKinds
        for metric in BuiltinMetric.all { kinds[metric.name] = metric.kind }
        self.kinds = kinds
    }

    /// Whether any threshold failed.
    public var thresholdsFailed: Bool { verdicts.contains { !$0.outcome.passed } }

    func kind(_ name: String) -> ValueKind { kinds[name] ?? .default }

    /// The sub-metrics the thresholds name (`http_req_duration{scenario:buy}`), by parent, plus
    /// `http_req_duration{expected_response:true}`, which the reference always shows.
    var subMetrics: [String: [MetricSelector]] {
        var result: [String: [MetricSelector]] = [:]
        let expected = MetricSelector(name: "http_req_duration", tags: ["expected_response": "true"])
        if view.sink(expected.name, containing: TagSet(expected.tags)) != nil {
            result[expected.name] = [expected]
        }
        // Failed requests by cause: one row per `error_code` seen (no response, or a 4xx / 5xx).
        var codes: [String] = []
        for series in view.series("http_req_failed") {
            if let code = series.tags["error_code"], !codes.contains(code) { codes.append(code) }
        }
        for code in codes.sorted() {
            result["http_req_failed", default: []].append(MetricSelector(name: "http_req_failed", tags: ["error_code": code]))
        }
        for verdict in verdicts where !verdict.selector.tags.isEmpty {
            if !(result[verdict.selector.name]?.contains(verdict.selector) ?? false) {
                result[verdict.selector.name, default: []].append(verdict.selector)
            }
        }
        return result
    }

    /// The figures of one metric or sub-metric, in the reference's order and names.
    func figures(_ name: String, _ sink: MetricSink) -> [(String, Double)] {
        let seconds = Double(testDuration.nanoseconds) / 1e9
        switch sink {
        case .counter(let c):
            return [("count", c.sum), ("rate", seconds > 0 ? c.sum / seconds : 0)]
        case .gauge(let g):
            return [("value", g.value ?? 0), ("min", g.min ?? 0), ("max", g.max ?? 0)]
        case .gaugeTotal(let g):
            return [("value", g.value ?? 0), ("min", g.min ?? 0), ("max", g.max ?? 0)]
        case .rate(let r):
            return [("passes", Double(r.trues)), ("fails", Double(r.falses)), ("value", r.rate ?? 0)]
        case .trend(let t):
            return zip(options.trendStats, t.statistics(options.trendStats)).map { ($0, $1 ?? 0) }
        }
    }
}
