import Foundation

extension ExecutorSchedule {
    /// One line saying what the scenario does on this segment, worded like the reference's
    /// execution header so that users recognise it:
    /// `Up to 50.00 iterations/s for 1m30s over 3 stages (maxVUs: 10-100, gracefulStop: 30s)`.
    public var description: String {
        switch scenario.executor {
        case .sharedIterations(let c):
            return "\(iterations ?? 0) iterations shared among \(plannedVUs) VUs"
                + facts("maxDuration: \(DurationText.format(c.maxDuration))")
        case .perVUIterations(let c):
            return "\(c.iterations) iterations for each of \(plannedVUs) VUs"
                + facts("maxDuration: \(DurationText.format(c.maxDuration))")
        case .constantVUs(let c):
            return "\(plannedVUs) looping VUs for \(DurationText.format(c.duration))" + facts()
        case .rampingVUs(let c):
            return "Up to \(maxVUs) looping VUs for \(DurationText.format(duration)) over \(c.stages.count) stages"
                + facts("gracefulRampDown: \(DurationText.format(c.gracefulRampDown))")
        case .constantArrivalRate(let c):
            // The reference scales the rate shown by the share of maxVUs this segment got.
            let perSecond = c.maxVUs > 0 ? Self.perSecond(c.rate, c.timeUnit) * Double(maxVUs) / Double(c.maxVUs) : 0
            return String(format: "%.2f iterations/s for %@", perSecond, DurationText.format(c.duration))
                + facts(vusRange)
        case .rampingArrivalRate(let c):
            // Here the reference scales by the segment's length.
            // The highest rate any stage's curve reaches (an expression may overshoot its target).
            var top = Double(c.startRate)
            var from = c.startRate
            for stage in c.stages {
                top = max(top, stage.progression.peak(from: from, to: stage.target))
                from = stage.target
            }
            let length = tuple.segment.length
            let perSecond = top * 1e9 / Double(c.timeUnit.nanoseconds) * Double(length.numerator) / Double(length.denominator)
            return String(format: "Up to %.2f iterations/s for %@ over %d stages", perSecond, DurationText.format(duration), c.stages.count)
                + facts(vusRange)
        }
    }

    private var vusRange: String {
        maxVUs > plannedVUs ? "maxVUs: \(plannedVUs)-\(maxVUs)" : "maxVUs: \(plannedVUs)"
    }

    private static func perSecond(_ rate: Int64, _ timeUnit: Duration) -> Double {
        Double(rate) * 1e9 / Double(timeUnit.nanoseconds)
    }

    /// The reference's parenthesised facts: the executor's own, then flow, startTime and
    /// gracefulStop when they differ from the defaults.
    private func facts(_ own: String...) -> String {
        var list = own
        if scenario.flow != Scenario.defaultFlow { list.append("flow: \(scenario.flow)") }
        if scenario.startTime > .zero { list.append("startTime: \(DurationText.format(scenario.startTime))") }
        if scenario.gracefulStop > .zero { list.append("gracefulStop: \(DurationText.format(scenario.gracefulStop))") }
        return list.isEmpty ? "" : " (" + list.joined(separator: ", ") + ")"
    }
}
