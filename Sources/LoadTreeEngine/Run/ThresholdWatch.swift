import LoadTreeCore

/// Thresholds checked while a test runs, every ``period``: a failed `abortOnFail` threshold
/// stops the test. A local run watches its own metrics; a tree's root watches the merged ones.
public struct ThresholdWatch: Sendable {
    public static let period: Duration = .seconds(2)
    private let evaluator: ThresholdEvaluator

    /// Nil when there is nothing to watch (no thresholds, or thresholds disabled).
    public init?(plan: Plan, enabled: Bool) {
        guard enabled, !plan.thresholds.isEmpty else { return nil }
        evaluator = ThresholdEvaluator(thresholds: plan.thresholds)
    }

    /// Why the test must stop now, if an `abortOnFail` threshold failed on `view`.
    public func abortReason(_ view: MetricsView, elapsed: Duration) -> String? {
        let verdicts = evaluator.evaluate(view, testDuration: elapsed, final: false)
        guard let failed = evaluator.abortingVerdict(verdicts, elapsed: elapsed) else { return nil }
        return "threshold '\(failed.threshold.source)' on \(failed.selector) failed (abortOnFail)"
    }
}
