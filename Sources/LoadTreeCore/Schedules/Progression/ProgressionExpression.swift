import Foundation

/// A user-written ramp shape, `r = <expression of t>`, parsed and checked once.
///
/// At parse time the curve is sampled and its area tabulated on an adaptive grid (nodes are
/// added until a cubic Hermite interpolant of the area agrees with Gauss–Legendre quadrature to
/// 1e-13), so an arrival-rate schedule finds each start time with a table search and a cubic
/// solve instead of integrating the expression again for every iteration.
public struct ProgressionExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written, `r = …`.
    public let source: String
    let curve: ExpressionCurve

    /// Parses and validates `text` (`r = <expression of t>`): finite on [0, 1] (sampled at
    /// 1,001 points and over the adaptive grid), and r(1) = 1 within 1e-9.
    public init(parsing text: String) throws(ProgressionError) {
        let function = try ExpressionParser.compile(text)
        source = text
        curve = try ExpressionCurve(function)
    }

    /// r(t), as written (not clamped).
    public func value(at t: Double) -> Double { curve.function(t) }

    public var description: String { source }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// The tabulated curve behind a ``ProgressionExpression``: nodes uᵢ with r(uᵢ), the area
/// R(uᵢ) = ∫₀^uᵢ r and the running maximum of r (for first-crossing searches).
///
/// A final class with immutable `Sendable` stored properties, so sharing it is safe.
final class ExpressionCurve: Sendable {
    let function: CurveFunction
    let nodes: [Double]
    let values: [Double]
    let areas: [Double]
    let runningMax: [Double]

    /// The 1,001 sample points of the validation rule, t = i/1000.
    static let sampleCount = 1000
    private static let baseIntervals = 256
    private static let tolerance = 1e-13
    private static let maxDepth = 22
    /// A bound on the table for curves that never settle (fast oscillation): past it, intervals
    /// are accepted as they are, trading accuracy for bounded memory and load time.
    static let nodeLimit = 100_000

    init(_ function: @escaping CurveFunction) throws(ProgressionError) {
        self.function = function
        for i in 0...Self.sampleCount {
            let t = Double(i) / Double(Self.sampleCount)
            let value = function(t)
            guard value.isFinite else { throw .notFinite(t: t, value: value) }
        }
        let end = function(1)
        guard abs(end - 1) <= 1e-9 else { throw .doesNotEndAtTarget(value: end) }

        var nodes = [0.0]
        var values = [function(0)]
        var areas = [0.0]
        func add(_ u: Double, _ value: Double, _ integral: Double) throws(ProgressionError) {
            guard value.isFinite, integral.isFinite else { throw .notFinite(t: u, value: value.isFinite ? integral : value) }
            nodes.append(u)
            values.append(value)
            areas.append(areas[areas.count - 1] + integral)
        }
        // Depth-first refinement with an explicit stack, left half first so nodes stay sorted.
        var pending: [(a: Double, b: Double, ra: Double, rb: Double, depth: Int)] = []
        for i in stride(from: Self.baseIntervals - 1, through: 0, by: -1) {
            let a = Double(i) / Double(Self.baseIntervals)
            let b = Double(i + 1) / Double(Self.baseIntervals)
            pending.append((a, b, function(a), function(b), 0))
        }
        while let (a, b, ra, rb, depth) = pending.popLast() {
            let m = (a + b) / 2
            let rm = function(m)
            let whole = Self.gauss(function, a, b)
            let left = Self.gauss(function, a, m)
            let right = Self.gauss(function, m, b)
            // The cubic Hermite interpolant of the area at the midpoint.
            let predicted = whole / 2 + (b - a) * (ra - rb) / 8
            let good = abs(whole - (left + right)) <= Self.tolerance && abs(predicted - left) <= Self.tolerance
            guard rm.isFinite, whole.isFinite else { throw .notFinite(t: m, value: rm.isFinite ? whole : rm) }
            if good || depth >= Self.maxDepth || nodes.count + pending.count >= Self.nodeLimit {
                try add(b, rb, left + right)
            } else {
                pending.append((m, b, rm, rb, depth + 1))
                pending.append((a, m, ra, rm, depth + 1))
            }
        }
        var running = values
        for i in 1..<running.count { running[i] = max(running[i - 1], running[i]) }
        self.nodes = nodes
        self.values = values
        self.areas = areas
        self.runningMax = running
    }

    /// Five-point Gauss–Legendre quadrature of `f` over [a, b].
    private static func gauss(_ f: CurveFunction, _ a: Double, _ b: Double) -> Double {
        let half = (b - a) / 2
        let mid = (a + b) / 2
        let x1 = 0.538_469_310_105_683_1, x2 = 0.906_179_845_938_664_0
        let w0 = 0.568_888_888_888_888_9, w1 = 0.478_628_670_499_366_5, w2 = 0.236_926_885_056_189_1
        let sum = w0 * f(mid) + w1 * (f(mid - half * x1) + f(mid + half * x1)) + w2 * (f(mid - half * x2) + f(mid + half * x2))
        return half * sum
    }

    /// ∫₀¹ r.
    var totalArea: Double { areas[areas.count - 1] }

    /// The interpolated area ∫₀ᵘ r (cubic Hermite between nodes).
    func area(upTo u: Double) -> Double {
        let j = interval(containing: u)
        let h = nodes[j + 1] - nodes[j]
        let s = (u - nodes[j]) / h
        let c = coefficients(j)
        return c.0 + s * (c.1 + s * (c.2 + s * c.3))
    }

    /// The index j of the last node with nodes[j] ≤ u (at most count − 2).
    func interval(containing u: Double) -> Int {
        var lo = 0
        var hi = nodes.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if nodes[mid] <= u { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// Power-basis coefficients of the Hermite cubic of the area on interval j, in s ∈ [0, 1].
    @inline(__always)
    func coefficients(_ j: Int) -> (Double, Double, Double, Double) {
        let h = nodes[j + 1] - nodes[j]
        let (r0, r1) = (areas[j], areas[j + 1])
        let (m0, m1) = (h * values[j], h * values[j + 1])
        return (r0, m0, 3 * (r1 - r0) - 2 * m0 - m1, 2 * (r0 - r1) + m0 + m1)
    }

    /// The first t at which r(t) ≥ f: the first node whose running maximum reaches f brackets the
    /// crossing, then bisection on r narrows it below 1e-12.
    func firstReach(_ f: Double) -> Double {
        if values[0] >= f { return 0 }
        guard runningMax[runningMax.count - 1] >= f else { return 1 }
        var lo = 0
        var hi = runningMax.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if runningMax[mid] >= f { hi = mid } else { lo = mid }
        }
        var a = nodes[lo]
        var b = nodes[hi]
        while b - a > 1e-13 {
            let m = (a + b) / 2
            if m <= a || m >= b { break }
            if function(m) >= f { b = m } else { a = m }
        }
        return b
    }
}
