/// Maps a segment's local counters to the whole test's: the j-th VU (or iteration) this
/// segment starts is global number g_j. Both are 1-based; (0, 0) means "none yet".
///
/// This is what makes a VU's id and an iteration's id the same whichever node runs it.
public struct SegmentedIndex: Sendable, Hashable {
    public let stripe: Stripe
    /// j: how many owned elements precede and include the current one.
    public private(set) var scaled: Int64 = 0
    /// g_j: the current element's global number.
    public private(set) var unscaled: Int64 = 0

    public init(stripe: Stripe) {
        self.stripe = stripe
    }

    /// Moves to the next owned element and returns (scaled, unscaled).
    @discardableResult
    public mutating func next() -> (scaled: Int64, unscaled: Int64) {
        if scaled == 0 {
            scaled = 1
            unscaled = stripe.start + 1
        } else {
            unscaled += stripe.offsets[Int((scaled - 1) % Int64(stripe.offsets.count))]
            scaled += 1
        }
        return (scaled, unscaled)
    }

    /// Moves to the previous owned element ((0, 0) before the first).
    @discardableResult
    public mutating func prev() -> (scaled: Int64, unscaled: Int64) {
        if scaled <= 1 {
            scaled = 0
            unscaled = 0
        } else {
            scaled -= 1
            unscaled -= stripe.offsets[Int((scaled - 1) % Int64(stripe.offsets.count))]
        }
        return (scaled, unscaled)
    }

    /// Moves to the last owned element whose global number is at most `value`.
    @discardableResult
    public mutating func goTo(_ value: Int64) -> (scaled: Int64, unscaled: Int64) {
        let first = stripe.start + 1
        guard value >= first else {
            scaled = 0
            unscaled = 0
            return (0, 0)
        }
        let cycles = (value - first) / stripe.lcd
        scaled = cycles * Int64(stripe.offsets.count) + 1
        unscaled = first + cycles * stripe.lcd
        while true {
            let step = stripe.offsets[Int((scaled - 1) % Int64(stripe.offsets.count))]
            guard unscaled + step <= value else { break }
            unscaled += step
            scaled += 1
        }
        return (scaled, unscaled)
    }
}
