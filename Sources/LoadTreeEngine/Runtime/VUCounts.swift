import Synchronization

/// How many VUs exist and how many are active right now, for the `vus` and `vus_max` gauges
/// and the progress display. Active VUs are the sum of the scenarios' own counts, so a VU's
/// start and stop touch one counter.
public final class VUCounts: Sendable {
    private let scenarios: [ScenarioProgress]
    private let initializedCount = Atomic<Int64>(0)

    init(scenarios: [ScenarioProgress]) {
        self.scenarios = scenarios
    }

    /// VUs currently running iterations (or ready to, for arrival-rate pools).
    public var active: Int64 { scenarios.reduce(0) { $0 + $1.activeVUs } }
    /// VUs that exist (initialized), active or not.
    public var initialized: Int64 { initializedCount.load(ordering: .relaxed) }

    func initializedOne() { initializedCount.add(1, ordering: .relaxed) }
}
