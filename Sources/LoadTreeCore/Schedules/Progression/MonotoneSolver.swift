/// Finds where a non-decreasing function reaches a value: Newton steps, with bisection whenever
/// a step would leave the bracket or the slope is zero.
///
/// Arrival-rate start times solve "area so far = i"; the area is non-decreasing (rates are
/// checked non-negative), so a bracket always exists and the safeguard makes convergence
/// certain, while Newton keeps the usual case to a handful of evaluations.
enum MonotoneSolver {
    /// The x in [lo, hi] with g(x) ≈ target, given g(lo) ≤ target ≤ g(hi); `slope` is g′.
    /// Stops when the bracket or the Newton step is narrower than `tolerance`, or after 100 steps.
    @inline(__always)
    static func solve(
        lo: Double, hi: Double, target: Double, tolerance: Double, start: Double,
        value: (Double) -> Double, slope: (Double) -> Double
    ) -> Double {
        var lo = lo
        var hi = hi
        var x = min(max(start, lo), hi)
        for _ in 0..<100 {
            let gx = value(x) - target
            if gx == 0 { return x }
            if gx > 0 { hi = x } else { lo = x }
            // Below a few ulps of x, double precision cannot do better.
            let resolution = max(tolerance, 4 * Double.ulpOfOne * abs(x))
            if hi - lo <= resolution { break }
            let d = slope(x)
            let step = d > 0 ? gx / d : .infinity
            let next = x - step
            if next > lo, next < hi {
                x = next
                if abs(step) <= resolution { return x }
            } else {
                let mid = (lo + hi) / 2
                if mid <= lo || mid >= hi { break }
                x = mid
            }
        }
        return (lo + hi) / 2
    }
}
