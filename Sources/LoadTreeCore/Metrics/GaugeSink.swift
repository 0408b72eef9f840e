/// The state of a Gauge series: its latest value (with the time it was taken), and the
/// smallest and largest values seen.
///
/// "Latest" means the sample with the greatest time, both when adding and when merging, so the
/// result does not depend on the order in which nodes report. Two samples with the same time
/// are ordered by value (the greater wins), which keeps merging commutative and associative.
public struct GaugeSink: Sendable, Hashable {
    /// The latest value (nil when empty).
    public private(set) var value: Double?
    /// The time of the latest value, in nanoseconds.
    public private(set) var time: Int64
    /// The smallest value seen (nil when empty).
    public private(set) var min: Double?
    /// The largest value seen (nil when empty).
    public private(set) var max: Double?

    /// An empty gauge.
    public init() {
        value = nil
        time = .min
        min = nil
        max = nil
    }

    /// A gauge rebuilt from parts received from another node.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when only some parts are present or
    ///   the value lies outside [min, max].
    public init(value: Double?, time: Int64, min: Double?, max: Double?) throws(MetricSinkError) {
        switch (value, min, max) {
        case (nil, nil, nil):
            self.init()
        case (let value?, let low?, let high?):
            guard low <= value, value <= high else {
                throw .invalidState("gauge value \(value) lies outside its range [\(low), \(high)]")
            }
            self.init()
            self.value = value
            self.time = time
            self.min = low
            self.max = high
        default:
            throw .invalidState("a gauge needs a value, a min and a max, or none of them")
        }
    }

    public var isEmpty: Bool { value == nil }

    /// Adds a sample taken at `time` (nanoseconds on the run's clock).
    public mutating func add(_ sample: Double, at time: Int64) {
        if isLater(time, sample) {
            value = sample
            self.time = time
        }
        min = min.map { Double.minimum($0, sample) } ?? sample
        max = max.map { Double.maximum($0, sample) } ?? sample
    }

    /// Combines with `other`: the later value wins, the extremes widen.
    public mutating func merge(_ other: GaugeSink) {
        guard let theirs = other.value, let low = other.min, let high = other.max else { return }
        if isLater(other.time, theirs) {
            value = theirs
            time = other.time
        }
        min = min.map { Double.minimum($0, low) } ?? low
        max = max.map { Double.maximum($0, high) } ?? high
    }

    private func isLater(_ otherTime: Int64, _ otherValue: Double) -> Bool {
        guard let mine = value else { return true }
        if otherTime != time { return otherTime > time }
        return !otherValue.isTotallyOrdered(belowOrEqualTo: mine)
    }
}
