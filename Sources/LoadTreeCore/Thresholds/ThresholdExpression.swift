/// One threshold condition, `<aggregation> <op> <number>`, parsed once when the plan loads.
///
/// Parsing follows the reference tool exactly (k6-reference §4.2), so an expression that is
/// valid there is valid here with the same meaning, and an invalid one fails before the run.
public struct ThresholdExpression: Sendable, Hashable, CustomStringConvertible {
    /// The figure read off the metric (`p(95)`, `rate`, …).
    public var aggregation: MetricAggregation
    /// The comparison between the observed figure and ``limit``.
    public var op: ThresholdOperator
    /// The right-hand side.
    public var limit: Double

    public init(aggregation: MetricAggregation, op: ThresholdOperator, limit: Double) {
        self.aggregation = aggregation
        self.op = op
        self.limit = limit
    }

    /// Parses `text`, e.g. `p(99.9) < 250` or `rate>=0.95`.
    ///
    /// Operators are scanned in the reference's order (`<=`, `<`, `>=`, `>`, `===`, `==`,
    /// `!=`); the text is split at the first occurrence of the first operator found, and both
    /// sides are trimmed of spaces.
    public static func parse(_ text: String) throws(ThresholdError) -> ThresholdExpression {
        guard let (lhs, op, rhs) = scan(text) else { throw .malformedExpression(text) }
        let aggregation = try parseAggregation(lhs, expression: text)
        guard let limit = Double(rhs), !limit.isNaN else {
            throw .invalidLimit(expression: text, limit: rhs)
        }
        return ThresholdExpression(aggregation: aggregation, op: op, limit: limit)
    }

    /// Whether an observed value of the aggregation satisfies the condition.
    public func passes(_ observed: Double) -> Bool {
        op.holds(observed, limit)
    }

    /// The canonical text form, e.g. `p(95)<300`.
    public var description: String {
        let limitText = limit == limit.rounded() && abs(limit) < 1e15 ? String(Int64(limit)) : String(limit)
        return "\(aggregation)\(op)\(limitText)"
    }

    private static func scan(_ text: String) -> (String, ThresholdOperator, String)? {
        for (token, op) in ThresholdOperator.scanOrder {
            if let range = text.firstRange(of: token) {
                let lhs = String(text[..<range.lowerBound]).trimmingWhitespace()
                let rhs = String(text[range.upperBound...]).trimmingWhitespace()
                return (lhs, op, rhs)
            }
        }
        return nil
    }

    static func parseAggregation(_ text: String, expression: String) throws(ThresholdError) -> MetricAggregation {
        switch text {
        case "count": return .count
        case "rate": return .rate
        case "value": return .value
        case "avg": return .avg
        case "min": return .min
        case "max": return .max
        case "med": return .med
        default: break
        }
        guard text.hasPrefix("p("), text.hasSuffix(")"), text.count >= 3 else {
            throw .unknownAggregation(expression: expression, aggregation: text)
        }
        let argument = String(text.dropFirst(2).dropLast())
        guard let percentile = Double(argument), percentile >= 0, percentile <= 100 else {
            throw .invalidPercentile(expression: expression, argument: argument)
        }
        return .percentile(percentile)
    }
}

extension MetricAggregation {
    /// Parses `count`, `rate`, `value`, `avg`, `min`, `max`, `med` or `p(N)` (0 ≤ N ≤ 100), as
    /// thresholds write them; also how summary trend statistics are named.
    public init(parsing text: String) throws(ThresholdError) {
        self = try ThresholdExpression.parseAggregation(text, expression: text)
    }
}
