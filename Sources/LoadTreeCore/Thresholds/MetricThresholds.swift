/// All thresholds attached to one metric or sub-metric: one entry of a plan's `thresholds`.
///
/// Grouped by selector because that is how they are evaluated: the sink for the selector is
/// looked up once and every threshold reads its figures from it.
public struct MetricThresholds: Sendable, Hashable {
    /// The metric (and tags) the thresholds read.
    public var selector: MetricSelector
    /// The thresholds, in the order written.
    public var thresholds: [Threshold]

    public init(selector: MetricSelector, thresholds: [Threshold]) {
        self.selector = selector
        self.thresholds = thresholds
    }

    /// Checks that a metric of `type` can produce every threshold's aggregation.
    ///
    /// - Throws: ``ThresholdError/unsupportedAggregation(expression:aggregation:metric:type:)``
    ///   for the first threshold that it cannot.
    public func validate(metricType type: MetricType) throws(ThresholdError) {
        for threshold in thresholds where !threshold.expression.aggregation.isSupported(by: type) {
            throw .unsupportedAggregation(
                expression: threshold.source, aggregation: threshold.expression.aggregation,
                metric: selector.name, type: type)
        }
    }

    /// Evaluates every threshold against the selector's figures, in order.
    public func evaluate(values: (MetricAggregation) -> Double?) -> [ThresholdOutcome] {
        thresholds.map { $0.evaluate(values: values) }
    }
}
