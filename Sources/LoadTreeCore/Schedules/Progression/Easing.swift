import Foundation

/// A named ramp shape, spelled as on easings.net.
///
/// Named curves exist so a plan can say "start gently" without writing maths; each has a
/// closed-form value, area and inverse, which keeps schedules exact and fast. Every curve goes
/// from r(0) = 0 to r(1) = 1 and stays within [0, 1], so a ramp never overshoots its target.
public enum Easing: String, Sendable, Hashable, CaseIterable {
    case easeInSine, easeOutSine, easeInOutSine
    case easeInQuad, easeOutQuad, easeInOutQuad
    case easeInCubic, easeOutCubic, easeInOutCubic
    case easeInQuart, easeOutQuart, easeInOutQuart
    case easeInQuint, easeOutQuint, easeInOutQuint
    case easeInExpo, easeOutExpo

    private enum Family { case sine, power(Double), expo }
    private enum Kind { case easeIn, easeOut, easeInOut }

    private var family: Family {
        switch self {
        case .easeInSine, .easeOutSine, .easeInOutSine: .sine
        case .easeInQuad, .easeOutQuad, .easeInOutQuad: .power(2)
        case .easeInCubic, .easeOutCubic, .easeInOutCubic: .power(3)
        case .easeInQuart, .easeOutQuart, .easeInOutQuart: .power(4)
        case .easeInQuint, .easeOutQuint, .easeInOutQuint: .power(5)
        case .easeInExpo, .easeOutExpo: .expo
        }
    }

    private var kind: Kind {
        switch self {
        case .easeInSine, .easeInQuad, .easeInCubic, .easeInQuart, .easeInQuint, .easeInExpo: .easeIn
        case .easeOutSine, .easeOutQuad, .easeOutCubic, .easeOutQuart, .easeOutQuint, .easeOutExpo: .easeOut
        case .easeInOutSine, .easeInOutQuad, .easeInOutCubic, .easeInOutQuart, .easeInOutQuint: .easeInOut
        }
    }

    @inline(__always)
    private static func power(_ x: Double, _ p: Double) -> Double {
        switch p {
        case 2: x * x
        case 3: x * x * x
        case 4: (x * x) * (x * x)
        case 5: (x * x) * (x * x) * x
        case 6: (x * x * x) * (x * x * x)
        default: Foundation.pow(x, p)
        }
    }

    private static let ln2 = 0.693_147_180_559_945_3

    /// r(t): the fraction of the way from the start value to the target at stage fraction `t`.
    public func value(at t: Double) -> Double {
        switch (family, kind) {
        case (.power(let p), .easeIn): return Self.power(t, p)
        case (.power(let p), .easeOut): return 1 - Self.power(1 - t, p)
        case (.power(let p), .easeInOut):
            return t < 0.5 ? Foundation.pow(2, p - 1) * Self.power(t, p) : 1 - Self.power(2 - 2 * t, p) / 2
        case (.sine, .easeIn): return 1 - cos(t * .pi / 2)
        case (.sine, .easeOut): return sin(t * .pi / 2)
        case (.sine, .easeInOut): return (1 - cos(.pi * t)) / 2
        case (.expo, .easeIn): return t <= 0 ? 0 : Foundation.pow(2, 10 * t - 10)
        case (.expo, _): return t >= 1 ? 1 : 1 - Foundation.pow(2, -10 * t)
        }
    }

    /// ∫₀ᵘ r: the area under the curve, in closed form.
    func area(upTo u: Double) -> Double {
        switch (family, kind) {
        case (.power(let p), .easeIn): return Self.power(u, p + 1) / (p + 1)
        case (.power(let p), .easeOut): return u - (1 - Self.power(1 - u, p + 1)) / (p + 1)
        case (.power(let p), .easeInOut):
            return u <= 0.5
                ? Foundation.pow(2, p - 1) * Self.power(u, p + 1) / (p + 1)
                : (u - 0.5) + Self.power(2 - 2 * u, p + 1) / (4 * (p + 1))
        case (.sine, .easeIn): return u - 2 / .pi * sin(u * .pi / 2)
        case (.sine, .easeOut): return 2 / .pi * (1 - cos(u * .pi / 2))
        case (.sine, .easeInOut): return u / 2 - sin(.pi * u) / (2 * .pi)
        case (.expo, .easeIn): return (Foundation.pow(2, 10 * u - 10) - Foundation.pow(2, -10)) / (10 * Self.ln2)
        case (.expo, _): return u - (1 - Foundation.pow(2, -10 * u)) / (10 * Self.ln2)
        }
    }

    /// The first stage fraction at which r reaches `f` (0 < f ≤ 1), by exact inversion.
    func firstReach(_ f: Double) -> Double {
        let t: Double
        switch (family, kind) {
        case (.power(let p), .easeIn): t = Foundation.pow(f, 1 / p)
        case (.power(let p), .easeOut): t = 1 - Foundation.pow(1 - f, 1 / p)
        case (.power(let p), .easeInOut):
            t = f < 0.5 ? Foundation.pow(f / Foundation.pow(2, p - 1), 1 / p) : 1 - Foundation.pow(2 * (1 - f), 1 / p) / 2
        case (.sine, .easeIn): t = acos(1 - f) * 2 / .pi
        case (.sine, .easeOut): t = asin(f) * 2 / .pi
        case (.sine, .easeInOut): t = acos(1 - 2 * f) / .pi
        case (.expo, .easeIn): t = f <= Foundation.pow(2, -10) ? 0 : (log2(f) + 10) / 10
        case (.expo, _): t = f >= 1 ? 1 : -log2(1 - f) / 10
        }
        return min(1, max(0, t))
    }
}
