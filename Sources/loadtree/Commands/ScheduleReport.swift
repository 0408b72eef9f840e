import LoadTreeCore

/// What `loadtree schedule` prints, as JSON or as text.
struct ScheduleReport {
    let schedule: TestSchedule
    /// At most this many iteration starts per scenario; nil for all.
    let limit: Int?

    private func starts(_ s: ExecutorSchedule) -> [IterationStart]? {
        guard let starts = s.iterationStarts() else { return s.executor.isArrivalRate ? [] : nil }
        return limit.map { Array(starts.prefix($0)) } ?? Array(starts)
    }

    var json: JSONValue {
        let scenarios: [(String, JSONValue)] = schedule.scenarios.map { s in
            var fields: [(String, JSONValue)] = [
                ("executor", .string(s.executor.rawValue)),
                ("description", .string(s.description)),
                ("has_work", .bool(s.hasWork)),
                ("start_time_ns", .int(s.scenario.startTime.nanoseconds)),
                ("max_duration_ns", .int(s.maxDuration.nanoseconds)),
                ("vus", .object([("planned", .int(s.plannedVUs)), ("max", .int(s.maxVUs))])),
                ("iterations", s.iterations.map { .int($0) } ?? .null),
            ]
            if let starts = starts(s) {
                fields.append(("starts", .array(starts.map { .object([("id", .int($0.id)), ("at_ns", .int($0.at))]) })))
            }
            if let steps = s.vuSteps {
                fields.append(("vu_steps", .array(steps.map { .object([("at_ns", .int($0.at)), ("vus", .int($0.vus))]) })))
                fields.append(("requirements", .array(s.requirements.map { .object([("at_ns", .int($0.at)), ("vus", .int($0.total))]) })))
            }
            return (s.scenario.name, .object(fields))
        }
        return .object([
            ("segment", .string(schedule.tuple.segment.description)),
            ("sequence", .array(schedule.tuple.sequence.segments.map { .string($0.description) })),
            ("max_vus", .int(schedule.maxVUs)),
            ("max_duration_ns", .int(schedule.maxDuration.nanoseconds)),
            ("scenarios", .object(scenarios)),
        ])
    }

    var text: String {
        var lines = ["segment \(schedule.tuple.segment) of \(schedule.tuple.sequence)", ""]
        lines += schedule.header
        for s in schedule.scenarios {
            lines.append("")
            var summary = "\(s.scenario.name) (\(s.executor.rawValue)): \(s.plannedVUs) planned VUs, \(s.maxVUs) max VUs"
            if let iterations = s.iterations { summary += ", \(iterations) iterations" }
            if !s.hasWork { summary += " (no work on this segment)" }
            lines.append(summary)
            if let starts = starts(s), !starts.isEmpty {
                let shown = limit == nil ? "all \(starts.count)" : "first \(starts.count) of \(s.iterations ?? 0)"
                lines.append("  iteration starts (\(shown)):")
                lines += TextTable(rows: [["id", "at"]] + starts.map { [String($0.id), Self.time($0.at)] }).lines.map { "    " + $0 }
            }
            if let steps = s.vuSteps {
                lines.append("  VU steps:")
                lines += TextTable(rows: [["at", "vus"]] + steps.map { [Self.time($0.at), String($0.vus)] }).lines.map { "    " + $0 }
                lines.append("  requirements (with graceful ramp-down and stop):")
                lines += TextTable(rows: [["at", "vus"]] + s.requirements.map { [Self.time($0.at), String($0.total)] }).lines.map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func time(_ ns: Int64) -> String { DurationText.format(.nanoseconds(ns)) }
}
