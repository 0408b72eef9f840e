/// An exact fraction with 64-bit numerator and denominator, always reduced, denominator > 0.
///
/// Execution segments must be exact: a zone's share of 1/3 cannot become 0.333… without
/// losing or doubling an iteration somewhere in a large fleet. Intermediate products are taken
/// in 128 bits and a result that does not fit 64 bits is reported, never wrapped.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public static let zero = Rational(unchecked: 0, 1)
    public static let one = Rational(unchecked: 1, 1)

    private init(unchecked numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// An integer as a fraction.
    public init(_ value: Int64) {
        self.init(unchecked: value, 1)
    }

    /// `numerator / denominator`, reduced. Fails on a zero denominator or when the reduced
    /// fraction does not fit in 64 bits.
    public init(_ numerator: Int64, _ denominator: Int64) throws(RationalError) {
        try self.init(wide: Int128(numerator), Int128(denominator))
    }

    init(wide numerator: Int128, _ denominator: Int128) throws(RationalError) {
        guard denominator != 0 else { throw .zeroDenominator }
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        let g = Rational.gcd(n.magnitude, d.magnitude)
        if g > 1 { n /= Int128(g); d /= Int128(g) }
        guard let small = Int64(exactly: n), let smallD = Int64(exactly: d) else { throw .overflow }
        self.init(unchecked: small, smallD)
    }

    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    public var isInteger: Bool { denominator == 1 }

    public static func + (lhs: Rational, rhs: Rational) throws(RationalError) -> Rational {
        try Rational(
            wide: Int128(lhs.numerator) * Int128(rhs.denominator) + Int128(rhs.numerator) * Int128(lhs.denominator),
            Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    public static func - (lhs: Rational, rhs: Rational) throws(RationalError) -> Rational {
        try Rational(
            wide: Int128(lhs.numerator) * Int128(rhs.denominator) - Int128(rhs.numerator) * Int128(lhs.denominator),
            Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    public static func * (lhs: Rational, rhs: Rational) throws(RationalError) -> Rational {
        try Rational(
            wide: Int128(lhs.numerator) * Int128(rhs.numerator),
            Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    public static func / (lhs: Rational, rhs: Rational) throws(RationalError) -> Rational {
        try Rational(
            wide: Int128(lhs.numerator) * Int128(rhs.denominator),
            Int128(lhs.denominator) * Int128(rhs.numerator))
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    /// ⌊self · value⌋ computed exactly (the product is taken in 128 bits).
    public func floorTimes(_ value: Int64) -> Int128 {
        let product = Int128(numerator) * Int128(value)
        let d = Int128(denominator)
        let q = product / d
        return (product % d != 0 && product < 0) ? q - 1 : q
    }

    /// `a/b`, or just `a` for an integer: the form segments print and parse back.
    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }
}

/// Why exact fraction arithmetic could not give a result.
public enum RationalError: Error, Sendable, Equatable, CustomStringConvertible {
    case zeroDenominator
    case overflow

    public var description: String {
        switch self {
        case .zeroDenominator: "division by zero"
        case .overflow: "the fraction needs more than 64-bit numerator and denominator"
        }
    }
}
