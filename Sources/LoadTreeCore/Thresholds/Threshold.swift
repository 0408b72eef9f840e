/// One threshold as written in a plan, with its abort policy.
///
/// The source text is kept because it is the threshold's identity in the summary and the
/// exported JSON (`"thresholds": {"p(95)<500": false}`), exactly as the user wrote it.
public struct Threshold: Sendable, Hashable {
    /// The expression exactly as written (`"p(95) < 500"`).
    public var source: String
    /// The parsed expression.
    public var expression: ThresholdExpression
    /// Stop the whole run as soon as this threshold fails.
    public var abortOnFail: Bool
    /// With ``abortOnFail``: do not abort before this much test time has elapsed, so that a
    /// warm-up period's figures cannot end the run. `nil` means no delay.
    public var delayAbortEval: Duration?

    public init(source: String, expression: ThresholdExpression, abortOnFail: Bool = false, delayAbortEval: Duration? = nil) {
        self.source = source
        self.expression = expression
        self.abortOnFail = abortOnFail
        self.delayAbortEval = delayAbortEval
    }

    /// Parses a threshold from its text form, with the given abort policy.
    public init(parsing source: String, abortOnFail: Bool = false, delayAbortEval: Duration? = nil) throws(ThresholdError) {
        self.init(
            source: source, expression: try ThresholdExpression.parse(source),
            abortOnFail: abortOnFail, delayAbortEval: delayAbortEval)
    }

    /// Evaluates the threshold against a metric's figures.
    ///
    /// `values` returns the metric's value for an aggregation, or `nil` when the sink cannot
    /// produce it (e.g. a Rate with no samples); a missing value **passes**, as in the reference.
    public func evaluate(values: (MetricAggregation) -> Double?) -> ThresholdOutcome {
        guard let observed = values(expression.aggregation) else {
            return ThresholdOutcome(source: source, observed: nil, passed: true)
        }
        return ThresholdOutcome(source: source, observed: observed, passed: expression.passes(observed))
    }

    /// Whether this outcome must abort the run `elapsed` into the test: the threshold failed,
    /// has `abortOnFail`, and `delayAbortEval` is unset (or zero) or shorter than `elapsed`.
    public func shouldAbort(_ outcome: ThresholdOutcome, elapsed: Duration) -> Bool {
        guard !outcome.passed, abortOnFail else { return false }
        guard let delay = delayAbortEval, delay > .zero else { return true }
        return delay < elapsed
    }
}

/// The result of evaluating one threshold once.
public struct ThresholdOutcome: Sendable, Hashable {
    /// The threshold's source text, its key in summaries.
    public var source: String
    /// The figure compared, or `nil` when the metric had none (which passes).
    public var observed: Double?
    /// Whether the threshold held.
    public var passed: Bool

    public init(source: String, observed: Double?, passed: Bool) {
        self.source = source
        self.observed = observed
        self.passed = passed
    }
}
