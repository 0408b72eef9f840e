/// A Gauge summed over the sources of a tree (every node that runs an engine: the agents):
/// what relays merge and what the root reports for `vus`, `vus_max` and every other gauge.
///
/// Why not ``GaugeSink``: "the latest value wins" is right for the samples of one process, but
/// across agents it keeps ONE agent's value. Four agents running 10 VUs each must show
/// `vus = 40`, and the largest `vus` must be the peak of the tree-wide total.
///
/// **Definition.** Each source reports every gauge once per metric interval (its latest value;
/// see ``GaugeSource``). The run clock is cut at aligned *boundaries*, the multiples of the
/// metric interval. A source's value at boundary `B` is the latest value it reported at or
/// before `B` (carried forward while it reports nothing). The tree-wide total at `B` is the sum
/// of every source's value at `B`. Then:
/// - ``value`` is the sum over sources of each source's latest reported value;
/// - ``min`` and ``max`` are the smallest and largest tree-wide total over the boundaries at
///   which any report was counted (so they are values the total really had, at one instant).
///
/// **Representation.** Bounded and mergeable: not one entry per source, but the *changes* of
/// the total, one step per boundary. A source reporting `v` after having reported `p` adds
/// `v − p` at its boundary. Merging adds the changes boundary by boundary: associative and
/// commutative, for any tree shape. The total at `B` is the sum of the steps up to `B`. A relay
/// forwards the steps of the boundaries it merged since its last batch (one or two, whatever
/// the number of agents below it); only the root, which keeps the whole run, holds a step per
/// boundary of the run (3,600 an hour at 1 s).
///
/// Each report must be counted exactly once, which the tree's batch sequence numbers
/// guarantee. Sums are exact for integral values (such as VU counts) below 2^53; fractional
/// values may round in the last bits.
public struct GaugeTotal: Sendable, Hashable {
    /// How the total changed at one boundary.
    public struct Step: Sendable, Hashable {
        /// The boundary, in nanoseconds on the run clock.
        public let at: Int64
        /// What the reports counted at this boundary added to the total.
        public let change: Double

        public init(at: Int64, change: Double) {
            self.at = at
            self.change = change
        }
    }

    /// The steps, by strictly increasing boundary.
    public private(set) var steps: [Step]

    /// No report yet.
    public init() {
        steps = []
    }

    /// A total rebuilt from steps received from another node.
    ///
    /// - Throws: ``MetricSinkError/invalidState(_:)`` when the boundaries do not strictly
    ///   increase or a change is not finite.
    public init(steps: [Step]) throws(MetricSinkError) {
        for (index, step) in steps.enumerated() {
            guard step.change.isFinite else {
                throw .invalidState("gauge change \(step.change) at \(step.at) ns is not finite")
            }
            guard index == 0 || steps[index - 1].at < step.at else {
                throw .invalidState("gauge steps must have strictly increasing boundaries (\(steps[index - 1].at) then \(step.at) ns)")
            }
        }
        self.steps = steps
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// Counts a change of the total at boundary `at`.
    public mutating func add(_ change: Double, at boundary: Int64) {
        let index = insertionIndex(boundary)
        if index < steps.count, steps[index].at == boundary {
            steps[index] = Step(at: boundary, change: steps[index].change + change)
        } else {
            steps.insert(Step(at: boundary, change: change), at: index)
        }
    }

    /// Adds every step of `other`, boundary by boundary.
    public mutating func merge(_ other: GaugeTotal) {
        guard !steps.isEmpty else {
            steps = other.steps
            return
        }
        // Reports arrive roughly in time order: most steps land at the end.
        for step in other.steps { add(step.change, at: step.at) }
    }

    /// The sum over sources of each one's latest value; nil before any report.
    public var value: Double? {
        steps.isEmpty ? nil : steps.reduce(0) { $0 + $1.change }
    }

    /// The smallest tree-wide total at a boundary; nil before any report.
    public var min: Double? { extremes?.min }

    /// The largest tree-wide total at a boundary; nil before any report.
    public var max: Double? { extremes?.max }

    /// The smallest and largest running total over the steps, in one pass.
    public var extremes: (min: Double, max: Double)? {
        guard !steps.isEmpty else { return nil }
        var total = 0.0
        var low = Double.infinity
        var high = -Double.infinity
        for step in steps {
            total += step.change
            low = Swift.min(low, total)
            high = Swift.max(high, total)
        }
        return (low, high)
    }

    /// Where a step at `boundary` is or would go (binary search; the end is checked first).
    private func insertionIndex(_ boundary: Int64) -> Int {
        if let last = steps.last, last.at < boundary { return steps.count }
        var low = 0
        var high = steps.count
        while low < high {
            let mid = (low + high) / 2
            if steps[mid].at < boundary { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
