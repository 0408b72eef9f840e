import Synchronization

/// How many VUs exist and how many are active right now, for the `vus` and `vus_max` gauges
/// and the progress display. Atomics, because every VU start and stop touches them.
public final class VUCounts: Sendable {
    private let activeCount = Atomic<Int64>(0)
    private let initializedCount = Atomic<Int64>(0)

    public init() {}

    /// VUs currently running iterations (or ready to, for arrival-rate pools).
    public var active: Int64 { activeCount.load(ordering: .relaxed) }
    /// VUs that exist (initialized), active or not.
    public var initialized: Int64 { initializedCount.load(ordering: .relaxed) }

    func activated() { activeCount.add(1, ordering: .relaxed) }
    func deactivated() { activeCount.subtract(1, ordering: .relaxed) }
    func initializedOne() { initializedCount.add(1, ordering: .relaxed) }
}
