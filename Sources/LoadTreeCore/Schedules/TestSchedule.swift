import Foundation

/// Every scenario of a plan on one segment, and what they need together: the figures of the
/// execution header (max VUs, max duration) that tell a user, before a run, what a node will do.
public struct TestSchedule: Sendable {
    public let tuple: ExecutionTuple
    /// One schedule per scenario, in plan order.
    public let scenarios: [ExecutorSchedule]

    public init(scenarios: [Scenario], tuple: ExecutionTuple) {
        self.tuple = tuple
        self.scenarios = scenarios.map { ExecutorSchedule(scenario: $0, tuple: tuple) }
    }

    /// The scenarios' requirements merged on the test's clock (each shifted by its
    /// `startTime`): at every instant where one changes, the sum over all scenarios.
    public var requirements: [ExecutionRequirement] {
        var events: [(at: Int64, scenario: Int, requirement: ExecutionRequirement)] = []
        for (i, schedule) in scenarios.enumerated() {
            let offset = schedule.scenario.startTime.nanoseconds
            for r in schedule.requirements { events.append((offset + r.at, i, r)) }
        }
        events.sort { ($0.at, $0.scenario) < ($1.at, $1.scenario) }
        var current = [ExecutionRequirement?](repeating: nil, count: scenarios.count)
        var merged: [ExecutionRequirement] = []
        var i = 0
        while i < events.count {
            let at = events[i].at
            while i < events.count, events[i].at == at {
                current[events[i].scenario] = events[i].requirement
                i += 1
            }
            let planned = current.reduce(0) { $0 + ($1?.planned ?? 0) }
            let unplanned = current.reduce(0) { $0 + ($1?.unplanned ?? 0) }
            if let last = merged.last, last.planned == planned, last.unplanned == unplanned { continue }
            merged.append(ExecutionRequirement(at: at, planned: planned, unplanned: unplanned))
        }
        return merged
    }

    /// The most VUs the node ever needs at once (planned plus unplanned).
    public var maxVUs: Int64 { requirements.map(\.total).max() ?? 0 }

    /// When the last scenario ends, graceful stops included.
    public var maxDuration: Duration {
        scenarios.map { $0.scenario.startTime + $0.maxDuration }.max() ?? .zero
    }

    /// The reference-style execution header:
    /// ```
    /// scenarios: (100.00%) 2 scenarios, 20 max VUs, 1m30s max duration (incl. graceful stop):
    ///          * browse: 10 looping VUs for 1m0s (gracefulStop: 30s)
    /// ```
    public var header: [String] {
        let length = tuple.segment.length
        let percent = 100 * Double(length.numerator) / Double(length.denominator)
        let count = scenarios.count == 1 ? "1 scenario" : "\(scenarios.count) scenarios"
        var lines = [
            String(format: "scenarios: (%.2f%%) %@, %lld max VUs, %@ max duration (incl. graceful stop):",
                   percent, count, maxVUs, DurationText.format(maxDuration))
        ]
        for schedule in scenarios {
            lines.append("         * \(schedule.scenario.name): \(schedule.description)")
        }
        return lines
    }
}
