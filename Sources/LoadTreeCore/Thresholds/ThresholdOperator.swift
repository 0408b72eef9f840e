/// The comparison in a threshold expression (`p(95) < 300`).
///
/// The reference tool scans for operators in a fixed order (`<=`, `<`, `>=`, `>`, `===`, `==`,
/// `!=`), so that `<=` is never read as `<` followed by `=`. `==` and `===` mean the same thing
/// there, so they share one case here.
public enum ThresholdOperator: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case lessOrEqual = "<="
    case less = "<"
    case greaterOrEqual = ">="
    case greater = ">"
    case equal = "=="
    case notEqual = "!="

    /// The tokens in the order the reference scans for them, with the case each one means.
    static let scanOrder: [(token: String, op: ThresholdOperator)] = [
        ("<=", .lessOrEqual), ("<", .less), (">=", .greaterOrEqual), (">", .greater),
        ("===", .equal), ("==", .equal), ("!=", .notEqual),
    ]

    /// Whether `observed <op> limit` holds.
    public func holds(_ observed: Double, _ limit: Double) -> Bool {
        switch self {
        case .lessOrEqual: observed <= limit
        case .less: observed < limit
        case .greaterOrEqual: observed >= limit
        case .greater: observed > limit
        case .equal: observed == limit
        case .notEqual: observed != limit
        }
    }

    public var description: String { rawValue }
}
