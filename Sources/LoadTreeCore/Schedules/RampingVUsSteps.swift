/// The VU plan of a `ramping-vus` scenario for one segment (k6-reference §2.3).
///
/// Global VU k (1-based) belongs to the segment that owns element k−1 of the stripe; the
/// segment's steps start and stop exactly its own VUs, so the plans of all segments add up to
/// the unsegmented plan at every instant.
enum RampingVUsSteps {
    /// The raw steps: (time, planned VUs), only where the count changes. With `zeroEnd`, a final
    /// step to 0 VUs at the end of the last stage.
    static func raw(_ config: RampingVUs, tuple: ExecutionTuple, zeroEnd: Bool) -> [VUStep] {
        var index = tuple.makeIndex()
        var (scaled, unscaled) = index.goTo(config.startVUs)
        var steps = [VUStep(at: 0, vus: scaled)]
        func add(_ at: Int64, _ vus: Int64) {
            if steps[steps.count - 1].vus != vus { steps.append(VUStep(at: at, vus: vus)) }
        }
        var from = config.startVUs
        var end: Int64 = 0
        for stage in config.stages {
            let duration = stage.duration.nanoseconds
            end += duration
            let target = stage.target
            if target == from { continue }
            if duration == 0 {
                (scaled, unscaled) = index.goTo(target)
                add(end, scaled)
                from = target
                continue
            }
            if stage.progression == .instant {
                // Every VU of the stage at its first instant, as one step that replaces any
                // earlier steps at that same instant.
                let at = end - duration
                (scaled, unscaled) = index.goTo(target)
                while let last = steps.last, last.at == at { steps.removeLast() }
                if steps.isEmpty || steps[steps.count - 1].vus != scaled { steps.append(VUStep(at: at, vus: scaled)) }
                from = target
                continue
            }
            if unscaled > target {
                while unscaled > target {
                    let back = stage.progression.vuCrossingBeforeEnd(duration: duration, from: from, to: target, level: unscaled)
                    add(end - back, scaled - 1)
                    (scaled, unscaled) = index.prev()
                }
            } else {
                while unscaled <= target {
                    let back = stage.progression.vuCrossingBeforeEnd(duration: duration, from: from, to: target, level: unscaled)
                    add(end - back, scaled)
                    (scaled, unscaled) = index.next()
                }
            }
            from = target
        }
        if zeroEnd, steps[steps.count - 1].vus != 0 {
            steps.append(VUStep(at: end, vus: 0))
        }
        return steps
    }

    /// The VUs the scenario needs over time once graceful ramp-downs are honoured: rises are
    /// kept; a fall is delayed by `gracefulRampDown`, and skipped when an equal or higher count
    /// comes back within that window; nothing is added at or after the executor's end
    /// (stages + `gracefulStop`), where the count drops to 0.
    static func requirements(_ config: RampingVUs, tuple: ExecutionTuple, gracefulStop: Duration) -> [ExecutionRequirement] {
        let raw = raw(config, tuple: tuple, zeroEnd: false)
        let grace = config.gracefulRampDown.nanoseconds
        let executorEnd = config.stages.reduce(0) { $0 + $1.duration.nanoseconds } + gracefulStop.nanoseconds
        var result: [ExecutionRequirement] = []
        var last: Int64 = 0
        var i = 0
        scan: while i < raw.count {
            let step = raw[i]
            if i == 0 || step.vus > last {
                result.append(ExecutionRequirement(at: step.at, planned: step.vus))
                last = step.vus
                i += 1
                continue
            }
            if step.vus == last {
                i += 1
                continue
            }
            let delayed = step.at + grace
            var ahead = i + 1
            while ahead < raw.count, raw[ahead].at <= delayed {
                if raw[ahead].vus >= last {
                    i = ahead
                    continue scan
                }
                ahead += 1
            }
            if delayed >= executorEnd { break }
            result.append(ExecutionRequirement(at: delayed, planned: step.vus))
            last = step.vus
            i += 1
        }
        result.append(ExecutionRequirement(at: executorEnd, planned: 0))
        return result
    }
}
