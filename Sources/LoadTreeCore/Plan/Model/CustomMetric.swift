/// A metric the plan declares for its flows to emit (`metrics: {orders: {type: counter}}`).
///
/// Declared up front so that thresholds on it can be type-checked before the run, and so that
/// every node of a tree agrees on its type without seeing a sample first.
public struct CustomMetric: Sendable, Hashable {
    /// The metric's name; follows the reference's naming rule.
    public var name: String
    /// Counter, Gauge, Rate or Trend.
    public var type: MetricType
    /// What the values measure (`contains`), which decides how they are printed.
    public var kind: ValueKind

    public init(name: String, type: MetricType, kind: ValueKind = .default) {
        self.name = name
        self.type = type
        self.kind = kind
    }
}
