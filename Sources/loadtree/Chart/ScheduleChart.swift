import LoadTreeCore

/// The data of `loadtree schedule --chart`: for each scenario, planned VUs (ramping-vus and the
/// VU-count executors) or the arrival rate (arrival-rate executors) over time, one series per
/// segment of the sequence plus the whole test.
struct ScheduleChart {
    struct Series {
        let label: String
        /// (seconds since the scenario's start, value).
        let points: [(Double, Double)]
    }

    struct Panel {
        let title: String
        let unit: String
        let series: [Series]
    }

    let panels: [Panel]

    /// - Parameter tuples: the segments to draw (each gets its own line); the whole test is
    ///   always drawn as well.
    init(scenarios: [Scenario], tuples: [ExecutionTuple]) {
        panels = scenarios.map { scenario in
            let whole = ExecutorSchedule(scenario: scenario, tuple: .full)
            let parts = tuples.count > 1 ? tuples : []
            var series = [Self.series(whole, label: "whole test")]
            series += parts.map { Self.series(ExecutorSchedule(scenario: scenario, tuple: $0), label: $0.segment.description) }
            let arrival = scenario.executor.kind.isArrivalRate
            return Panel(title: "\(scenario.name) (\(scenario.executor.kind.rawValue))",
                         unit: arrival ? "iterations/s" : "VUs", series: series)
        }
    }

    private static func series(_ schedule: ExecutorSchedule, label: String) -> Series {
        let end = Double(schedule.duration.nanoseconds) / 1e9
        if let starts = schedule.iterationStarts() {
            return Series(label: label, points: rate(starts, end: end))
        }
        if let steps = schedule.vuSteps {
            var points: [(Double, Double)] = []
            for step in steps {
                let t = Double(step.at) / 1e9
                if let last = points.last { points.append((t, last.1)) }
                points.append((t, Double(step.vus)))
            }
            return Series(label: label, points: points)
        }
        let vus = Double(schedule.plannedVUs)
        return Series(label: label, points: [(0, vus), (end, vus), (end, 0)])
    }

    /// Iterations per second from start times: bins wide enough to hold about 25 starts each
    /// (5 to 200 bins), so that sparse segments draw a curve rather than noise.
    private static func rate(_ starts: IterationStarts, end: Double) -> [(Double, Double)] {
        guard end > 0 else { return [] }
        // Bounded: a chart needs no more than 20 million starts to show the curve.
        let times = starts.prefix(20_000_000).map { Double($0.at) / 1e9 }
        let bins = min(200, max(5, times.count / 25))
        let width = end / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for t in times { counts[min(bins - 1, Int(t / width))] += 1 }
        var points: [(Double, Double)] = []
        for (i, count) in counts.enumerated() {
            let rate = Double(count) / width
            points.append((Double(i) * width, rate))
            points.append((Double(i + 1) * width, rate))
        }
        return points
    }
}
