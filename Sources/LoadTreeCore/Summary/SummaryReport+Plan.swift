extension SummaryReport {
    /// The end-of-test summary of `plan` over `view`: its thresholds evaluated (unless
    /// disabled) and its custom metrics shown with their kinds. The one way a local run and a
    /// tree's root (over the merged metrics) build their summary. A plan that turns TLS
    /// verification off gets the INSECURE warning on top.
    public init(plan: Plan, view: MetricsView, testDuration: Duration, options: SummaryOptions, thresholdsEnabled: Bool) {
        let verdicts = thresholdsEnabled
            ? ThresholdEvaluator(thresholds: plan.thresholds).evaluate(view, testDuration: testDuration, final: true)
            : []
        var kinds: [String: ValueKind] = [:]
        for metric in plan.metrics { kinds[metric.name] = metric.kind }
        let warnings = plan.tls.insecureSkipVerify ? [TLSSettings.insecureWarning] : []
        self.init(view: view, verdicts: verdicts, testDuration: testDuration, options: options, metricKinds: kinds, warnings: warnings)
    }
}
