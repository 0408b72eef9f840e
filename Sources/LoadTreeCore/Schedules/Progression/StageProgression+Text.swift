import Foundation

/// The plan spelling of a progression: `linear`, `instant`, an easings.net name, `steps(n)` or
/// `r = <expression of t>`. One canonical spelling for docs, errors and `description`.
extension StageProgression: CustomStringConvertible {
    /// Parses a plan's `progression` value; expressions are compiled and validated here.
    public init(parsing text: String) throws(ProgressionError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "linear": self = .linear; return
        case "instant": self = .instant; return
        default: break
        }
        if let easing = Easing(rawValue: trimmed) {
            self = .easing(easing)
            return
        }
        if trimmed.hasPrefix("steps(") {
            guard trimmed.hasSuffix(")"),
                  let n = Int(trimmed.dropFirst(6).dropLast().trimmingCharacters(in: .whitespaces)),
                  (1...10_000).contains(n)
            else { throw .invalidSteps(found: trimmed) }
            self = .steps(n)
            return
        }
        let isWord = !trimmed.isEmpty && trimmed.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
        if isWord && trimmed != "t" {
            let names = ["linear", "instant", "steps(n)"] + Easing.allCases.map(\.rawValue)
            throw .unknown(found: trimmed, suggestion: Suggestion.closest(to: trimmed, among: names))
        }
        self = .expression(try ProgressionExpression(parsing: text))
    }

    /// The first point (of 1,001 samples) where start + r(t)·(target − start) is negative, if
    /// any: such a curve would ask for negative VUs or a negative rate.
    func firstNegative(from: Int64, to: Int64) -> (t: Double, value: Double)? {
        guard case .expression = self else { return nil }
        let count = ExpressionCurve.sampleCount
        // r(1) may miss 1 by the 1e-9 the end check allows; that much below 0 is rounding.
        let slack = -1e-9 * Double(max(from, to, 1))
        for i in 0...count {
            let t = Double(i) / Double(count)
            let value = Double(from) + fraction(at: t) * Double(to - from)
            if value < slack { return (t, value) }
        }
        return nil
    }

    /// The highest value start + r(t)·(target − start) reaches: the larger end for every shape
    /// but an expression, which is sampled at 1,001 points.
    func peak(from: Int64, to: Int64) -> Double {
        var top = Double(max(from, to))
        guard case .expression = self else { return top }
        let count = ExpressionCurve.sampleCount
        for i in 0...count {
            top = max(top, Double(from) + fraction(at: Double(i) / Double(count)) * Double(to - from))
        }
        return top
    }

    public var description: String {
        switch self {
        case .linear: "linear"
        case .instant: "instant"
        case .easing(let easing): easing.rawValue
        case .steps(let n): "steps(\(n))"
        case .expression(let expression): expression.source
        }
    }
}
