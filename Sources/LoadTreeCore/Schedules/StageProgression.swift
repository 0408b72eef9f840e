/// How a stage moves from its start value to its target over its duration.
///
/// This is the one seam every schedule goes through for the shape of a ramp: the VU count of
/// `ramping-vus` and the rate of `ramping-arrival-rate` both ask it when a level is crossed.
/// Only `linear` exists today; its arithmetic reproduces the reference tool's bit for bit.
public enum StageProgression: Sendable, Hashable {
    /// A straight line from the start value to the target.
    case linear

    /// For a ramp of VUs from `from` to `to` (≠ `from`) over `duration` ns: the offset from the
    /// stage's *end* back to the moment the planned count crosses `level`.
    ///
    /// Going up, global VU `level` starts at end − ⌊D·(to − level)/(to − from)⌋. Going down,
    /// VU `level` stops at end − ⌊D·(level − 1 − to)/(from − to)⌋. Integer division truncates
    /// toward zero, as the reference's does; products are taken in 128 bits.
    func vuCrossingBeforeEnd(duration: Int64, from: Int64, to: Int64, level: Int64) -> Int64 {
        switch self {
        case .linear:
            let d = Int128(duration)
            let diff = Int128(to) - Int128(from)
            let remaining = diff > 0 ? Int128(to) - Int128(level) : Int128(to) - Int128(level) + 1
            return Int64(clamping: d * remaining / diff)
        }
    }

    /// The number of iterations a stage holds: the area under the rate curve (rates per ns).
    func arrivalArea(from: Double, to: Double, duration: Double) -> Double {
        switch self {
        case .linear:
            from != to ? duration * ((to - from) / 2 + from) : duration * to
        }
    }

    /// The offset in the stage (ns, truncated) at which the area since the stage start reaches
    /// `area`, for a stage whose area is positive.
    func arrivalOffset(from: Double, to: Double, duration: Double, area: Double) -> Int64 {
        switch self {
        case .linear:
            if from != to {
                let root = max(0, duration * (from * from * duration + 2 * area * (to - from)))
                let x = (from * duration - root.squareRoot()) / (from - to)
                return Int64(x)
            }
            return Int64(area / to)
        }
    }
}
