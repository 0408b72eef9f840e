/// The start-time inverse of one eased arrival-rate stage: the stage fraction u where
/// g(u) = from·u + Δ·R(u) reaches a target, R being the easing's closed-form area.
///
/// Why a table per stage: the named easings have closed-form areas but (with a start rate)
/// rarely closed-form inverses, and a root finder started from nothing costs several
/// evaluations per iteration. Here the inverse u(T) is tabulated once per stage at evenly spaced
/// targets and interpolated by a cubic Hermite (slopes 1/g′ are exact at the nodes), which is
/// accurate to about 1e-15; where that is not enough, one Newton step on the closed form squares
/// the remaining error. So an iteration costs one table read, a cubic and at most one evaluation
/// of the curve.
///
/// Determinism: the answer for a target depends only on the target and the stage (the table is
/// built the same way by every agent, and the interval is found by arithmetic, not by a walk),
/// so the same global iteration gets the same start time whichever segment computes it.
/// Each interval's quick answer (interpolant alone, or with one Newton step) is checked at build
/// time against the converged root at its midpoint; intervals where neither is good enough (next
/// to a zero rate, where u(T) has an infinite slope) use the safeguarded ``MonotoneSolver``.
struct EasedArrivalInverse: Sendable {
    /// How an interval answers, as verified when the table was built.
    private enum Mode: Sendable {
        /// The interpolant alone is within ``verifiedError(duration:)``.
        case interpolated
        /// The interpolant and one Newton step are.
        case polished
        /// Neither: the safeguarded solver, seeded by the interpolant.
        case solved
    }

    /// One interval [T_k, T_k+1] of the table: u = c0 + s·(c1 + s·(c2 + s·c3)) for s ∈ [0, 1],
    /// the roots at its ends, and how it answers.
    private struct Interval: Sendable {
        var c0, c1, c2, c3: Double
        var lo, hi: Double
        var mode: Mode
    }

    private let easing: Easing
    private let from: Double
    private let delta: Double
    /// Targets per interval, inverted: s + k = T·scale.
    private let scale: Double
    private let intervals: [Interval]
    /// Root tolerance in stage fractions (1e-4 ns).
    private let tolerance: Double

    /// The most intervals a stage tabulates; fewer for stages with few iterations.
    static let maxIntervals = 1024
    /// How far (ns) a quick answer may be from the converged root at an interval's midpoint
    /// (where a cubic Hermite's error peaks): 0.1 ns, or a few rounding steps of a double for a
    /// very long stage, both far below the 1 µs the schedule promises.
    private static func verifiedError(duration: Double) -> Double {
        max(0.1, 16 * Double.ulpOfOne * duration)
    }

    /// For a ramp from `from` to `to` (≠ `from`, both ≥ 0, rates per ns) over `duration` ns.
    init(_ easing: Easing, from: Double, to: Double, duration: Double) {
        self.easing = easing
        self.from = from
        let delta = to - from
        self.delta = delta
        let total = from + delta * easing.area(upTo: 1)
        // About one interval per four iterations, between 16 and maxIntervals.
        let iterations = total * duration
        let count = iterations.isFinite ? Int(min(Double(Self.maxIntervals), max(16, (iterations / 4).rounded(.up)))) : 16
        scale = total > 0 ? Double(count) / total : 0
        tolerance = 1e-4 / duration
        let g = { (u: Double) in from * u + delta * easing.area(upTo: u) }
        let slope = { (u: Double) in from + delta * easing.value(at: u) }
        let tolerance = self.tolerance

        // Roots at the nodes T_k = k·total/count, each bracketed by the previous one.
        var roots = [0.0]
        roots.reserveCapacity(count + 1)
        for k in 1..<count {
            let target = total * Double(k) / Double(count)
            let previous = roots[k - 1]
            let d = slope(previous)
            let guess = d > 0 ? previous + (target - g(previous)) / d : (previous + 1) / 2
            roots.append(MonotoneSolver.solve(
                lo: previous, hi: 1, target: target, tolerance: tolerance, start: guess, value: g, slope: slope))
        }
        roots.append(1)

        let width = total / Double(count)
        var intervals: [Interval] = []
        intervals.reserveCapacity(count)
        for k in 0..<count {
            let (u0, u1) = (roots[k], roots[k + 1])
            let (d0, d1) = (slope(u0), slope(u1))
            var interval = Interval(c0: u0, c1: 0, c2: 0, c3: 0, lo: u0, hi: u1, mode: .solved)
            if d0 > 0, d1 > 0 {
                // Hermite cubic of u(T) in s, with du/ds = width/g′ at both ends.
                let (m0, m1) = (width / d0, width / d1)
                interval.c1 = m0
                interval.c2 = 3 * (u1 - u0) - 2 * m0 - m1
                interval.c3 = 2 * (u0 - u1) + m0 + m1
                let target = total * (Double(k) + 0.5) / Double(count)
                let exact = MonotoneSolver.solve(
                    lo: u0, hi: u1, target: target, tolerance: tolerance, start: (u0 + u1) / 2, value: g, slope: slope)
                let allowed = Self.verifiedError(duration: duration)
                if abs(Self.interpolate(interval, s: 0.5) - exact) * duration <= allowed {
                    interval.mode = .interpolated
                } else if abs(Self.polish(interval, s: 0.5, target: target, value: g, slope: slope) - exact) * duration <= allowed {
                    interval.mode = .polished
                }
            }
            intervals.append(interval)
        }
        self.intervals = intervals
    }

    /// The stage fraction where g reaches `target` (0 ≤ target ≤ g(1)).
    @inline(__always)
    func root(_ target: Double) -> Double {
        let x = target * scale
        let k = min(max(0, Int(x)), intervals.count - 1)
        let interval = intervals[k]
        let s = x - Double(k)
        let (easing, from, delta) = (self.easing, self.from, self.delta)
        let value = { (u: Double) in from * u + delta * easing.area(upTo: u) }
        let slope = { (u: Double) in from + delta * easing.value(at: u) }
        switch interval.mode {
        case .interpolated: return Self.interpolate(interval, s: s)
        case .polished: return Self.polish(interval, s: s, target: target, value: value, slope: slope)
        case .solved: break
        }
        let seed = interval.c1 == 0 ? interval.lo + s * (interval.hi - interval.lo) : Self.seed(interval, s)
        return MonotoneSolver.solve(
            lo: interval.lo, hi: interval.hi, target: target, tolerance: tolerance, start: seed, value: value, slope: slope)
    }

    @inline(__always)
    private static func seed(_ interval: Interval, _ s: Double) -> Double {
        interval.c0 + s * (interval.c1 + s * (interval.c2 + s * interval.c3))
    }

    /// The interpolated root, kept inside the interval.
    @inline(__always)
    private static func interpolate(_ interval: Interval, s: Double) -> Double {
        min(max(seed(interval, s), interval.lo), interval.hi)
    }

    /// The interpolated root and one Newton step, kept inside the interval.
    @inline(__always)
    private static func polish(
        _ interval: Interval, s: Double, target: Double, value: (Double) -> Double, slope: (Double) -> Double
    ) -> Double {
        let u = interpolate(interval, s: s)
        let next = u - (value(u) - target) / slope(u)
        return min(max(next, interval.lo), interval.hi)
    }
}
