import LoadTreeCore

/// The text `validate` and `demo` print about a valid plan: the execution header, then the
/// thresholds and flows it defines.
struct PlanOverview {
    let plan: Plan
    let schedule: TestSchedule

    var lines: [String] {
        var lines = ["     segment: \(schedule.tuple.segment) of \(schedule.tuple.sequence)", ""]
        lines += schedule.header.map { "  " + $0 }
        let idle = schedule.scenarios.filter { !$0.hasWork }.map(\.scenario.name)
        if !idle.isEmpty {
            lines.append("    (no work on this segment: \(idle.joined(separator: ", ")))")
        }
        if !plan.thresholds.isEmpty {
            lines.append("")
            lines.append("  thresholds:")
            for metric in plan.thresholds {
                let list = metric.thresholds.map { threshold in
                    threshold.abortOnFail ? "\(threshold.source) (abortOnFail)" : threshold.source
                }
                lines.append("         * \(metric.selector): \(list.joined(separator: ", "))")
            }
        }
        lines.append("")
        lines.append("  flows: \(plan.flows.map(\.name).joined(separator: ", "))"
            + (plan.setup.isEmpty ? "" : "; setup: \(plan.setup.count) steps")
            + (plan.teardown.isEmpty ? "" : "; teardown: \(plan.teardown.count) steps"))
        return lines
    }
}
