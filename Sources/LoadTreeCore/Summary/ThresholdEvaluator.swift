/// Evaluates a plan's thresholds against what was recorded, with the reference's rules
/// (k6-reference §4.2): during the run, metrics without samples are skipped; at the end they
/// are included and a missing figure passes.
public struct ThresholdEvaluator: Sendable {
    public let thresholds: [MetricThresholds]

    public init(thresholds: [MetricThresholds]) {
        self.thresholds = thresholds
    }

    /// One threshold's verdict.
    public struct Verdict: Sendable, Hashable {
        public let selector: MetricSelector
        public let threshold: Threshold
        public let outcome: ThresholdOutcome
    }

    /// The verdicts of every threshold (those of skipped empty metrics are left out).
    public func evaluate(_ view: MetricsView, testDuration: Duration, final: Bool) -> [Verdict] {
        var verdicts: [Verdict] = []
        for metric in thresholds {
            let sink = view.sink(metric.selector.name, containing: TagSet(metric.selector.tags))
            if !final, sink?.isEmpty ?? true { continue }
            for threshold in metric.thresholds {
                let outcome = threshold.evaluate { aggregation in
                    sink?.value(of: aggregation, testDuration: testDuration)
                }
                verdicts.append(Verdict(selector: metric.selector, threshold: threshold, outcome: outcome))
            }
        }
        return verdicts
    }

    /// The first failed threshold that asks to abort the run at this point of the test.
    public func abortingVerdict(_ verdicts: [Verdict], elapsed: Duration) -> Verdict? {
        verdicts.first { $0.threshold.shouldAbort($0.outcome, elapsed: elapsed) }
    }
}
