extension SummaryReport {
    /// The reference's end-of-test text: THRESHOLDS, then TOTAL RESULTS with checks and the
    /// metrics grouped as CUSTOM, HTTP, EXECUTION, NETWORK; in full mode, the same for every
    /// GROUP and every SCENARIO.
    public var text: String {
        var lines: [String] = warnings.map { "  ⚠ \($0)" }
        if !warnings.isEmpty { lines.append("") }
        if !verdicts.isEmpty {
            lines += ["  █ THRESHOLDS", ""]
            var seen: [MetricSelector] = []
            for verdict in verdicts where !seen.contains(verdict.selector) {
                seen.append(verdict.selector)
                lines.append("    \(verdict.selector)")
                for v in verdicts where v.selector == verdict.selector {
                    let mark = v.outcome.passed ? "✓" : "✗"
                    let observed = v.outcome.observed.map {
                        "=" + ValueFormat.value($0, kind: aggregationKind(v), timeUnit: options.timeUnit)
                    } ?? " (no samples)"
                    lines.append("    \(mark) '\(v.threshold.source)' \(v.threshold.expression.aggregation)\(observed)")
                }
                lines.append("")
            }
        }
        lines += ["", "  █ TOTAL RESULTS", ""]
        lines += results(view, checks: checks, subMetrics: subMetrics)
        if options.mode == .full {
            // The reference's full mode: the same figures for each group, then each scenario.
            for group in view.tagValues("group") where !group.isEmpty {
                let part = view.restricted(to: TagSet(["group": group]))
                let name = group.hasPrefix("::") ? String(group.dropFirst(2)) : group
                lines += ["  █ GROUP: \(name)", ""]
                lines += results(part, checks: CheckGroup.build(from: part).subgroup(at: group), subMetrics: [:])
            }
            for scenario in view.tagValues("scenario") {
                let part = view.restricted(to: TagSet(["scenario": scenario]))
                lines += ["  █ SCENARIO: \(scenario)", ""]
                lines += results(part, checks: CheckGroup.build(from: part), subMetrics: [:])
            }
        }
        lines += zoneLines()
        return lines.joined(separator: "\n")
    }

    /// The checks and the metric sections of `view`, with the sub-metric rows of `subMetrics`.
    private func results(_ view: MetricsView, checks: CheckGroup, subMetrics: [String: [MetricSelector]]) -> [String] {
        var lines = checkLines(view, checks: checks)
        for (title, names) in sections(view) where !names.isEmpty {
            lines.append("    \(title)")
            for name in names {
                guard let sink = view.sink(name) else { continue }
                lines.append(row(name, indent: 4, sink: sink, kind: kind(name)))
                for selector in subMetrics[name] ?? [] {
                    guard let sub = view.sink(name, containing: TagSet(selector.tags)) else { continue }
                    let label = "{ " + selector.tags.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + " }"
                    lines.append(row(label, indent: 6, sink: sub, kind: kind(name)))
                }
            }
            lines.append("")
        }
        return lines
    }

    /// A figure is printed in the metric's kind (times, bytes), except a rate of anything but
    /// data, which is a plain number.
    private func aggregationKind(_ verdict: ThresholdEvaluator.Verdict) -> ValueKind {
        let metricKind = kind(verdict.selector.name)
        return verdict.threshold.expression.aggregation == .rate && metricKind != .data ? .default : metricKind
    }

    private func sections(_ view: MetricsView) -> [(String, [String])] {
        let http = view.names.filter { $0.hasPrefix("http_") }
        let execution = view.names.filter { ["dropped_iterations", "iteration_duration", "iterations", "vus", "vus_max", "group_duration"].contains($0) }
        let network = view.names.filter { $0.hasPrefix("data_") }
        let custom = view.names.filter { name in
            name != "checks" && !http.contains(name) && !execution.contains(name) && !network.contains(name)
        }
        return [("CUSTOM", custom), ("HTTP", http), ("EXECUTION", execution), ("NETWORK", network)]
    }

    private func checkLines(_ view: MetricsView, checks: CheckGroup) -> [String] {
        guard case .rate(let all)? = view.sink("checks"), all.total > 0 else { return [] }
        let seconds = Double(testDuration.nanoseconds) / 1e9
        let total = Double(all.total)
        var lines = [
            dotted("checks_total", indent: 4) + pad(ValueFormat.number(total)) + " " + ValueFormat.rate(seconds > 0 ? total / seconds : 0, kind: .default),
            dotted("checks_succeeded", indent: 4) + pad(ValueFormat.percent(Double(all.trues) / total)) + " \(all.trues) out of \(all.total)",
            dotted("checks_failed", indent: 4) + pad(ValueFormat.percent(Double(all.falses) / total)) + " \(all.falses) out of \(all.total)",
            "",
        ]
        // The top group (the root, or the group a GROUP section is about) has no heading.
        func walk(_ group: CheckGroup, indent: Int, top: Bool = false) {
            let space = String(repeating: " ", count: indent)
            if !top, !group.name.isEmpty { lines.append("\(space)█ \(group.name)") }
            for check in group.checks {
                if check.fails == 0 {
                    lines.append("\(space)✓ \(check.name)")
                } else {
                    let share = Int((Double(check.passes) / Double(check.passes + check.fails) * 100).rounded(.down))
                    lines.append("\(space)✗ \(check.name)")
                    lines.append("\(space)  ↳  \(share)% — ✓ \(check.passes) / ✗ \(check.fails)")
                }
            }
            for child in group.groups { walk(child, indent: indent + 2) }
        }
        walk(checks, indent: 4, top: true)
        lines.append("")
        return lines
    }

    func row(_ label: String, indent: Int, sink: MetricSink, kind: ValueKind) -> String {
        let seconds = Double(testDuration.nanoseconds) / 1e9
        let text: String
        switch sink {
        case .counter(let c):
            text = pad(ValueFormat.value(c.sum, kind: kind)) + " " + ValueFormat.rate(seconds > 0 ? c.sum / seconds : 0, kind: kind)
        case .gauge(let g):
            text = gaugeText(value: g.value, min: g.min, max: g.max, kind: kind)
        case .gaugeTotal(let g):
            text = gaugeText(value: g.value, min: g.min, max: g.max, kind: kind)
        case .rate(let r):
            text = pad(ValueFormat.percent(r.rate ?? 0)) + " \(r.trues) out of \(r.total)"
        case .trend(let t):
            text = zip(options.trendStats, t.statistics(options.trendStats)).map { stat, value in
                "\(stat)=" + (stat == "count" ? ValueFormat.number(value ?? 0) : ValueFormat.value(value ?? 0, kind: kind, timeUnit: options.timeUnit))
            }.joined(separator: " ")
        }
        return dotted(label, indent: indent) + text
    }

    func gaugeText(value: Double?, min: Double?, max: Double?, kind: ValueKind) -> String {
        pad(ValueFormat.value(value ?? 0, kind: kind))
            + " min=" + ValueFormat.value(min ?? 0, kind: kind) + " max=" + ValueFormat.value(max ?? 0, kind: kind)
    }

    func dotted(_ label: String, indent: Int) -> String {
        let width = 40
        let dots = max(3, width - indent - label.count)
        return String(repeating: " ", count: indent) + label + String(repeating: ".", count: dots) + ": "
    }

    func pad(_ text: String) -> String {
        text.count >= 7 ? text : text + String(repeating: " ", count: 7 - text.count)
    }
}
