/// The state of a Rate series: how many samples were non-zero out of how many.
///
/// Both are plain counts, so merging is exact.
public struct RateSink: Sendable, Hashable {
    /// Samples that were not zero (NaN counts as non-zero, as in the reference).
    public private(set) var trues: UInt64
    /// All samples.
    public private(set) var total: UInt64

    /// An empty rate.
    public init() {
        trues = 0
        total = 0
    }

    /// A rate rebuilt from parts received from another node.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when `trues > total`.
    public init(trues: UInt64, total: UInt64) throws(MetricSinkError) {
        guard trues <= total else {
            throw .invalidState("a rate cannot have \(trues) non-zero samples out of \(total)")
        }
        self.trues = trues
        self.total = total
    }

    public var isEmpty: Bool { total == 0 }

    /// Samples that were zero.
    public var falses: UInt64 { total - trues }

    /// The share of non-zero samples; nil when there are none.
    public var rate: Double? { total == 0 ? nil : Double(trues) / Double(total) }

    /// Adds a sample.
    public mutating func add(_ value: Double) {
        if value != 0 { trues &+= 1 }
        total &+= 1
    }

    /// Adds the samples of `other`.
    public mutating func merge(_ other: RateSink) {
        trues &+= other.trues
        total &+= other.total
    }
}
