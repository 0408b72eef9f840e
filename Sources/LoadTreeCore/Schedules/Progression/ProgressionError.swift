/// Why a stage's `progression` was refused.
///
/// Reported at plan load, so a curve that would produce nonsense (a pole, a ramp that does not
/// end at its target) is caught before a test starts rather than half-way through it.
public enum ProgressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a known name, `steps(n)` or `r = …`; `suggestion` is a likely intended name.
    case unknown(found: String, suggestion: String?)
    /// `steps(n)` with `n` not a whole number from 1 to 10,000.
    case invalidSteps(found: String)
    /// The expression does not parse; `column` is 1-based within the progression text.
    case syntax(message: String, column: Int)
    /// The expression is not a finite number at stage fraction `t`.
    case notFinite(t: Double, value: Double)
    /// r(1) is not 1, so the stage would not end at its target and stages would not chain.
    case doesNotEndAtTarget(value: Double)

    /// The offset of the problem within the progression text (0-based), when there is one.
    public var offset: Int? {
        if case .syntax(_, let column) = self { return column - 1 }
        return nil
    }

    public var description: String {
        switch self {
        case .unknown(let found, let suggestion):
            let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? ""
            return "unknown progression \"\(found)\": expected linear, instant, an easing such as easeInQuad, "
                + "steps(n), or an expression \"r = <expression of t>\"\(hint)"
        case .invalidSteps(let found):
            return "invalid progression \"\(found)\": steps(n) needs a whole number of steps from 1 to 10000"
        case .syntax(let message, _):
            return "invalid progression expression: \(message)"
        case .notFinite(let t, let value):
            return "progression expression is not finite at t = \(Self.format(t)) (found \(value)); "
                + "it must be a finite number for every t from 0 to 1"
        case .doesNotEndAtTarget(let value):
            return "progression expression gives r(1) = \(value), expected 1 so that the stage ends at its target"
        }
    }

    static func format(_ t: Double) -> String {
        let rounded = (t * 1000).rounded() / 1000
        return "\(rounded)"
    }
}
