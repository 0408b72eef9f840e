/// Turns "area since the stage start" into a start offset for one arrival-rate stage.
///
/// Built when the iterator opens a stage, so per-stage work (an expression's area table, a named
/// easing's inverse table) is done once. For expressions a cursor walks the table forward as the
/// events advance instead of searching it for every event. The cursor never changes a result:
/// the interval chosen is always the first whose end reaches the area, exactly as a scan from the
/// start would find, so every segment computes the same time for the same event.
struct ArrivalSolver: Sendable {
    private let progression: StageProgression
    private let from: Double
    private let to: Double
    private let duration: Double
    /// The tabulated area of an expression on a ramp.
    private let table: ExpressionCurve?
    /// The tabulated inverse of a named easing on a ramp.
    private let eased: EasedArrivalInverse?
    private var cursor = 0

    init(_ progression: StageProgression, from: Double, to: Double, duration: Double) {
        self.progression = progression
        self.from = from
        self.to = to
        self.duration = duration
        switch progression {
        case .easing(let easing) where from != to:
            table = nil
            eased = EasedArrivalInverse(easing, from: from, to: to, duration: duration)
        case .expression(let expression) where from != to:
            table = expression.curve
            eased = nil
        default:
            table = nil
            eased = nil
        }
    }

    /// The offset in the stage (ns, truncated) at which the area since the stage start reaches
    /// `area`, for a stage whose area is positive.
    mutating func offset(area: Double) -> Int64 {
        switch progression {
        case .linear:
            return StageProgression.linearArrivalOffset(from: from, to: to, duration: duration, area: area)
        case _ where from == to, .instant:
            return Int64(area / to)
        case .steps(let n):
            return truncate(duration * Self.stepsOffset(from: from, delta: to - from, n: n, target: area / duration))
        case .easing:
            // Optional chaining borrows the table; binding it would retain and release it.
            guard let root = eased?.root(target(area)) else { return Int64(area / to) }
            return truncate(duration * root)
        case .expression:
            guard let table else { return Int64(area / to) }
            return truncate(duration * tabulatedRoot(table, target: target(area)).seed)
        }
    }

    @inline(__always)
    private func target(_ area: Double) -> Double { area / duration }

    @inline(__always)
    private func truncate(_ x: Double) -> Int64 {
        Int64(min(max(0, x), duration))
    }

    /// The interval [lo, hi] of the table holding the root of from·u + Δ·R(u) = target, and the
    /// root of its Hermite cubic.
    private mutating func tabulatedRoot(_ curve: ExpressionCurve, target: Double) -> (lo: Double, hi: Double, seed: Double) {
        let (from, delta) = (self.from, to - self.from)
        let nodes = curve.nodes
        let areas = curve.areas
        var j = cursor
        let last = nodes.count - 2
        while j < last, from * nodes[j + 1] + delta * areas[j + 1] < target { j += 1 }
        cursor = j
        let u0 = nodes[j]
        let u1 = nodes[j + 1]
        let h = u1 - u0
        let (c0, c1, c2, c3) = curve.coefficients(j)
        let a0 = from * u0 + delta * c0
        let a1 = from * u1 + delta * areas[j + 1]
        let guess = a1 > a0 ? (target - a0) / (a1 - a0) : 0.5
        let s = MonotoneSolver.solve(
            lo: 0, hi: 1, target: target, tolerance: 1e-4 / (duration * h), start: guess,
            value: { from * (u0 + $0 * h) + delta * (c0 + $0 * (c1 + $0 * (c2 + $0 * c3))) },
            slope: { from * h + delta * (c1 + $0 * (2 * c2 + 3 * $0 * c3)) })
        return (u0, u1, u0 + s * h)
    }

    /// Area of the first `j` of `n` stairs, in units of the stage duration.
    @inline(__always)
    static func stepsArea(from: Double, delta: Double, n: Int, j: Int) -> Double {
        let (jd, nd) = (Double(j), Double(n))
        return (jd * from + delta * (jd * (jd - 1) / (2 * nd))) / nd
    }

    /// The stage fraction where the stairs' area reaches `target` (units of the duration).
    private static func stepsOffset(from: Double, delta: Double, n: Int, target: Double) -> Double {
        // The last stair j in 0..<n whose starting area is below the target.
        var lo = 0
        var hi = n
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if stepsArea(from: from, delta: delta, n: n, j: mid) < target { lo = mid } else { hi = mid }
        }
        let rate = from + delta * Double(lo) / Double(n)
        let start = Double(lo) / Double(n)
        guard rate > 0 else { return Double(lo + 1) / Double(n) }
        return min(Double(lo + 1) / Double(n), start + (target - stepsArea(from: from, delta: delta, n: n, j: lo)) / rate)
    }
}
