/// Why a threshold, or the metric it names, is not a valid configuration.
///
/// Every case is a configuration error: the run must not start (exit code 104, as the
/// reference tool's "invalid config"). Messages quote the user's text so it can be found.
public enum ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No comparison operator in the expression.
    case malformedExpression(String)
    /// The left-hand side is not a known aggregation.
    case unknownAggregation(expression: String, aggregation: String)
    /// `p(...)` whose argument is not a number between 0 and 100.
    case invalidPercentile(expression: String, argument: String)
    /// The right-hand side is not a number.
    case invalidLimit(expression: String, limit: String)
    /// The aggregation exists but the metric's type cannot produce it (`p(95)` on a Counter).
    case unsupportedAggregation(expression: String, aggregation: MetricAggregation, metric: String, type: MetricType)
    /// A metric selector whose braces do not pair up or are not at the end.
    case malformedSelector(String)
    /// A `{…}` entry without a `key:value` shape or without a value.
    case malformedTag(selector: String, tag: String)
    /// A metric name the reference would reject (`^[a-zA-Z_][a-zA-Z0-9_]{1,128}$`).
    case invalidMetricName(String)
    /// A threshold on a metric that is neither built in nor declared in the plan.
    case unknownMetric(String, suggestion: String?)

    public var description: String {
        let example = "expected <aggregation> <operator> <number>, such as p(95)<500 or rate>0.99"
        switch self {
        case .malformedExpression(let text):
            return "failed parsing threshold expression \"\(text)\": \(example)"
        case .unknownAggregation(let text, let aggregation):
            return "failed parsing threshold expression \"\(text)\": unknown aggregation \"\(aggregation)\"; "
                + "use count, rate, value, avg, min, max, med or p(N)"
        case .invalidPercentile(let text, let argument):
            return "failed parsing threshold expression \"\(text)\": the percentile in p(\(argument)) "
                + "must be a number between 0 and 100, such as p(95) or p(99.9)"
        case .invalidLimit(let text, let limit):
            return "failed parsing threshold expression \"\(text)\": the right-hand side \"\(limit)\" is not a number"
        case .unsupportedAggregation(let text, let aggregation, let metric, let type):
            let supported = MetricAggregation.supported(by: type).joined(separator: ", ")
            return "threshold \"\(text)\" on metric \"\(metric)\" uses \"\(aggregation)\", which a \(type) "
                + "metric does not have; use \(supported)"
        case .malformedSelector(let selector):
            return "malformed metric selector \"\(selector)\": expected name or name{tag:value,...} "
                + "with the closing brace last"
        case .malformedTag(let selector, let tag):
            return "malformed metric selector \"\(selector)\": tag \"\(tag)\" needs the form key:value"
        case .invalidMetricName(let name):
            return "invalid metric name \"\(name)\": use 2 to 129 letters, digits or underscores, "
                + "not starting with a digit"
        case .unknownMetric(let name, let suggestion):
            let hint = suggestion.map { "; did you mean \"\($0)\"?" }
                ?? "; declare custom metrics under \"metrics\""
            return "threshold on unknown metric \"\(name)\"\(hint)"
        }
    }
}
