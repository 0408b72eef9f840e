/// The global elements one segment owns, as the reference's `GetStripedOffsets` gives them:
/// the first owned position, then the gaps between consecutive owned positions, used
/// cyclically (the last gap wraps into the next cycle of `lcd`).
public struct Stripe: Sendable, Hashable {
    public let start: Int64
    public let offsets: [Int64]
    public let lcd: Int64

    public init(start: Int64, offsets: [Int64], lcd: Int64) {
        self.start = start
        self.offsets = offsets
        self.lcd = lcd
    }

    /// The stripe of the sorted `positions` one segment owns in a cycle of `lcd`.
    init(positions: [Int64], lcd: Int64) {
        let first = positions.first ?? 0
        var offsets = zip(positions, positions.dropFirst()).map { $1 - $0 }
        offsets.append(first + lcd - (positions.last ?? 0))
        self.init(start: first, offsets: offsets, lcd: lcd)
    }

    /// An index that walks the owned elements.
    public func makeIndex() -> SegmentedIndex { SegmentedIndex(stripe: self) }
}
