/// The state of a Counter series: the sum of its samples and when the first one came.
///
/// Merging adds sums and keeps the earliest first-sample time, so partial counters from any
/// number of nodes combine to the counter one process would have kept. The sum is a `Double`:
/// it is exact (and therefore merges associatively) for integer samples up to 2^53, which
/// covers counts and byte totals; other samples carry ordinary floating-point rounding.
public struct CounterSink: Sendable, Hashable {
    /// The sum of all samples.
    public private(set) var sum: Double
    /// The time of the earliest sample, in nanoseconds (nil when empty).
    public private(set) var firstSampleTime: Int64?
    /// How many samples were added.
    public private(set) var sampleCount: UInt64

    /// An empty counter.
    public init() {
        self.init(sum: 0, firstSampleTime: nil, sampleCount: 0)
    }

    /// A counter rebuilt from parts received from another node.
    public init(sum: Double, firstSampleTime: Int64?, sampleCount: UInt64) {
        self.sum = sum
        self.firstSampleTime = firstSampleTime
        self.sampleCount = sampleCount
    }

    public var isEmpty: Bool { sampleCount == 0 }

    /// Adds a sample taken at `time` (nanoseconds on the run's clock).
    public mutating func add(_ value: Double, at time: Int64) {
        sum += value
        firstSampleTime = Swift.min(firstSampleTime ?? time, time)
        sampleCount &+= 1
    }

    /// Adds everything `other` holds.
    public mutating func merge(_ other: CounterSink) {
        sum += other.sum
        if let theirs = other.firstSampleTime {
            firstSampleTime = Swift.min(firstSampleTime ?? theirs, theirs)
        }
        sampleCount &+= other.sampleCount
    }

    /// The reference's `rate`: the sum per second of test run time; nil for a zero duration.
    public func rate(over testDuration: Duration) -> Double? {
        let seconds = Double(testDuration.nanoseconds) / 1e9
        return seconds > 0 ? sum / seconds : nil
    }
}
