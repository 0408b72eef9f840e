/// A share of the whole test: the half-open interval (from, to] of [0, 1], in exact fractions.
///
/// Every node of a tree runs one segment. Because segments are exact and every executor derives
/// its work from them the same way, the union of what all nodes run is the whole test, with no
/// VU or iteration lost or run twice.
public struct ExecutionSegment: Sendable, Hashable, CustomStringConvertible {
    public let from: Rational
    public let to: Rational
    /// `to − from`, computed once; a segment whose length needs more than 64 bits is refused.
    public let length: Rational

    /// The whole test, `0:1`.
    public static let full = ExecutionSegment(from: .zero, to: .one, length: .one)

    private init(from: Rational, to: Rational, length: Rational) {
        self.from = from
        self.to = to
        self.length = length
    }

    /// Bounds already known to be in order.
    private init(ordered from: Rational, _ to: Rational) throws(SegmentError) {
        do { self.init(from: from, to: to, length: try to - from) } catch {
            throw .overflow(context: "measuring segment \(from):\(to)")
        }
    }

    /// A segment from two bounds; requires 0 ≤ from < to ≤ 1.
    public init(from: Rational, to: Rational) throws(SegmentError) {
        guard from >= .zero, to <= .one, from < to else {
            throw .outOfOrder(segment: "\(from):\(to)")
        }
        try self.init(ordered: from, to)
    }

    /// Parses `0:1/3`, `1/3:2/3`, `25%` (= `0:25%`), `0.5:1`, mixed forms like `2/4:75%`.
    /// The empty string means the whole test.
    public init(parsing text: String) throws(SegmentError) {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty {
            self = .full
            return
        }
        let from: Rational
        let to: Rational
        if let colon = trimmed.firstIndex(of: ":") {
            from = try ExecutionSegment.bound(String(trimmed[..<colon]), in: text)
            to = try ExecutionSegment.bound(String(trimmed[trimmed.index(after: colon)...]), in: text)
        } else {
            from = .zero
            to = try ExecutionSegment.bound(trimmed, in: text)
        }
        guard from >= .zero, to <= .one, from < to else { throw .outOfOrder(segment: text) }
        try self.init(ordered: from, to)
    }

    /// One side of a segment: `N%` with an integer N, or a fraction or decimal.
    static func bound(_ text: String, in whole: String) throws(SegmentError) -> Rational {
        let side = text.trimmingWhitespace()
        if side.hasSuffix("%") {
            let digits = side.dropLast()
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 18,
                  let n = Int64(digits), let value = try? Rational(n, 100)
            else { throw .invalidPercent(value: side, segment: whole) }
            return value
        }
        guard let value = Rational(text: side) else { throw .invalidNumber(value: side, segment: whole) }
        return value
    }

    /// `n` equal consecutive parts of this segment.
    public func split(into n: Int) throws(SegmentError) -> [ExecutionSegment] {
        guard n >= 1 else { throw .invalidSplit(count: n) }
        return try split(weights: Array(repeating: 1, count: n))
    }

    /// Consecutive parts of this segment whose lengths are proportional to `weights`.
    ///
    /// This is how a relay shares its own segment among its children (by agent weight).
    public func split(weights: [Int64]) throws(SegmentError) -> [ExecutionSegment] {
        guard !weights.isEmpty, weights.allSatisfy({ $0 > 0 }) else { throw .invalidSplit(count: weights.count) }
        let total = weights.reduce(Int128(0)) { $0 + Int128($1) }
        var parts: [ExecutionSegment] = []
        var prefix: Int128 = 0
        do {
            let len = length
            var start = from
            for (i, weight) in weights.enumerated() {
                prefix += Int128(weight)
                let end = i == weights.count - 1
                    ? to
                    : try from + (try len * Rational(wide: prefix, total))
                parts.append(try ExecutionSegment(ordered: start, end))
                start = end
            }
        } catch {
            throw .overflow(context: "splitting \(self)")
        }
        return parts
    }

    /// The part of this segment that `child` describes relative to it:
    /// from' = from + child.from·length, length' = child.length·length.
    public func subSegment(_ child: ExecutionSegment) throws(SegmentError) -> ExecutionSegment {
        do {
            let start = try from + (try child.from * length)
            let end = try start + (try child.length * length)
            return try ExecutionSegment(ordered: start, end)
        } catch {
            throw .overflow(context: "\(self) sub-segment \(child)")
        }
    }

    /// The reference's legacy `Scale`: roundHalfUp(v·to − roundHalfUp(v·from)).
    ///
    /// Sums to v over a full sequence but is not monotone in v; no executor uses it. Kept only
    /// so that figures can be compared with the reference's; executors use
    /// ``ExecutionTuple/scale(_:)``.
    public func legacyScale(_ value: Int64) -> Int64 {
        func roundHalfUp(_ n: Int128, _ d: Int128) -> Int128 {
            // ⌊n/d + 1/2⌋ = ⌊(2n + d) / 2d⌋ for d > 0.
            let num = 2 * n + d, den = 2 * d
            let q = num / den
            return (num % den != 0 && num < 0) ? q - 1 : q
        }
        let v = Int128(value)
        let fromRounded = roundHalfUp(v * Int128(from.numerator), Int128(from.denominator))
        // v·to − fromRounded = (v·to.n − fromRounded·to.d) / to.d
        let n = v * Int128(to.numerator) - fromRounded * Int128(to.denominator)
        return Int64(clamping: roundHalfUp(n, Int128(to.denominator)))
    }

    /// `from:to` as reduced fractions (`1/2:3/4`, `0:1`); parses back to the same segment.
    public var description: String { "\(from):\(to)" }
}
