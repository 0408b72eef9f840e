import Foundation

/// How a stage moves from its start value to its target over its duration.
///
/// This is the one seam every schedule goes through for the shape of a ramp: the VU count of
/// `ramping-vus` and the rate of `ramping-arrival-rate` both ask it when a level is crossed.
/// With r(t) the fraction of the way from the start value to the target at stage fraction t,
/// the planned value is start + r(t)·(target − start). `linear` keeps the reference tool's
/// arithmetic bit for bit; the other shapes use closed forms where they exist and tabulated
/// areas with a safeguarded root finder otherwise.
///
/// Within a stage, VUs only move towards the target: VU k starts (or stops) the first time the
/// curve reaches k, so a curve that overshoots and comes back holds its highest level so far,
/// and never goes past the target.
public enum StageProgression: Sendable, Hashable {
    /// A straight line from the start value to the target: r(t) = t.
    case linear
    /// The target from the first instant of the stage: r(t) = 1.
    case instant
    /// A named easings.net curve.
    case easing(Easing)
    /// `n` equal stairs, CSS `steps(n)` (jump-end): r(t) = ⌊n·t⌋/n, reaching 1 at the end.
    case steps(Int)
    /// A user-written curve, `r = <expression of t>`.
    case expression(ProgressionExpression)

    /// r(t) for t in [0, 1].
    public func fraction(at t: Double) -> Double {
        switch self {
        case .linear: t
        case .instant: 1
        case .easing(let easing): easing.value(at: t)
        case .steps(let n): t >= 1 ? 1 : (Double(n) * t).rounded(.down) / Double(n)
        case .expression(let expression): expression.value(at: t)
        }
    }

    /// ∫₀¹ r: the share of (target − start) the stage's area adds to start·duration.
    var unitArea: Double {
        switch self {
        case .linear: 0.5
        case .instant: 1
        case .easing(let easing): easing.area(upTo: 1)
        case .steps(let n): Double(n - 1) / Double(2 * n)
        case .expression(let expression): expression.curve.totalArea
        }
    }

    /// The first stage fraction at which r reaches f (0 < f ≤ 1).
    func firstReach(_ f: Double) -> Double {
        switch self {
        case .linear: f
        case .instant: 0
        case .easing(let easing): easing.firstReach(f)
        case .steps(let n): (Double(n) * f).rounded(.up) / Double(n)
        case .expression(let expression): expression.curve.firstReach(f)
        }
    }

    /// For a ramp of VUs from `from` to `to` (≠ `from`) over `duration` ns: the offset from the
    /// stage's *end* back to the moment the planned count crosses `level`.
    ///
    /// Going up, global VU `level` starts at end − ⌊D·(to − level)/(to − from)⌋. Going down,
    /// VU `level` stops at end − ⌊D·(level − 1 − to)/(from − to)⌋. Integer division truncates
    /// toward zero, as the reference's does; products are taken in 128 bits.
    ///
    /// Other shapes: with f = (level − from)/(to − from) going up, or
    /// (from − level + 1)/(from − to) going down, the crossing is at start + ⌈D·t*⌉ where t* is
    /// the first stage fraction with r(t*) ≥ f.
    func vuCrossingBeforeEnd(duration: Int64, from: Int64, to: Int64, level: Int64) -> Int64 {
        switch self {
        case .linear:
            let d = Int128(duration)
            let diff = Int128(to) - Int128(from)
            let remaining = diff > 0 ? Int128(to) - Int128(level) : Int128(to) - Int128(level) + 1
            return Int64(clamping: d * remaining / diff)
        case .instant:
            return duration
        case .steps(let n):
            // Exact: stair j = ⌈n·num/den⌉ is reached at ⌈D·j/n⌉.
            let (num, den) = Self.fraction(from: from, to: to, level: level)
            guard num > 0 else { return duration }
            let stair = Self.ceilDiv(Int128(n) * num, den)
            let offset = Self.ceilDiv(Int128(duration) * stair, Int128(n))
            return duration - Int64(clamping: min(Int128(duration), offset))
        case .easing, .expression:
            let (num, den) = Self.fraction(from: from, to: to, level: level)
            guard num > 0 else { return duration }
            let t = firstReach(Double(num) / Double(den))
            let offset = (t * Double(duration)).rounded(.up)
            guard offset < Double(duration) else { return 0 }
            return duration - Int64(max(0, offset))
        }
    }

    private static func fraction(from: Int64, to: Int64, level: Int64) -> (Int128, Int128) {
        to > from
            ? (Int128(level) - Int128(from), Int128(to) - Int128(from))
            : (Int128(from) - Int128(level) + 1, Int128(from) - Int128(to))
    }

    private static func ceilDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return q * b < a ? q + 1 : q
    }

    /// The number of iterations a stage holds: the area under the rate curve (rates per ns).
    func arrivalArea(from: Double, to: Double, duration: Double) -> Double {
        switch self {
        case .linear:
            from != to ? duration * ((to - from) / 2 + from) : duration * to
        case .instant:
            duration * to
        case .steps(let n) where from != to:
            duration * ArrivalSolver.stepsArea(from: from, delta: to - from, n: n, j: n)
        default:
            from != to ? duration * (from + (to - from) * unitArea) : duration * to
        }
    }

    /// The offset in the stage (ns, truncated) at which the area since the stage start reaches
    /// `area`, for a stage whose area is positive. The iterator keeps an ``ArrivalSolver`` per
    /// stage instead, which gives the same results faster.
    func arrivalOffset(from: Double, to: Double, duration: Double, area: Double) -> Int64 {
        var solver = ArrivalSolver(self, from: from, to: to, duration: duration)
        return solver.offset(area: area)
    }

    /// The reference's closed form for a straight ramp (k6-reference §2.2).
    @inline(__always)
    static func linearArrivalOffset(from: Double, to: Double, duration: Double, area: Double) -> Int64 {
        if from != to {
            let root = max(0, duration * (from * from * duration + 2 * area * (to - from)))
            let x = (from * duration - root.squareRoot()) / (from - to)
            return Int64(x)
        }
        return Int64(area / to)
    }
}
