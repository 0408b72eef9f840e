extension SummaryReport {
    /// The end-of-test summary of `plan` over `view`: its thresholds evaluated (unless
    /// disabled) and its custom metrics shown with their kinds. The one way a local run and a
    /// tree's root (over the merged metrics) build their summary.
    public init(plan: Plan, view: MetricsView, testDuration: Duration, options: SummaryOptions, thresholdsEnabled: Bool) {
        let verdicts = thresholdsEnabled
            ? ThresholdEvaluator(thresholds: plan.thresholds).evaluate(view, testDuration: testDuration, final: true)
            : []
        var kinds: [String: ValueKind] = [:]
        for metric in plan.metrics { kinds[metric.name] = metric.kind }
        self.init(view: view, verdicts: verdicts, testDuration: testDuration, options: options, metricKinds: kinds)
    }
}
