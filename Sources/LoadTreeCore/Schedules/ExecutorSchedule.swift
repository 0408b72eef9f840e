/// What one scenario does on one segment: its VUs, its iterations, its steps and start times,
/// computed exactly as the reference tool computes them (k6-reference §1.8 and §2).
///
/// This is the single source of truth for "my share of the test": `loadtree schedule` prints it,
/// the engine runs it, and the tree's tests check that the shares of all segments add up.
public struct ExecutorSchedule: Sendable {
    public let scenario: Scenario
    /// The node's tuple (its segment in the filled sequence).
    public let tuple: ExecutionTuple
    /// VUs this segment starts at the beginning (for ramping-vus: the most it ever plans).
    public let plannedVUs: Int64
    /// VUs this segment may need at most, including unplanned arrival-rate VUs.
    public let maxVUs: Int64
    /// The iterations this segment runs, when the executor fixes them in advance
    /// (nil for the duration-based `constant-vus` and `ramping-vus`).
    public let iterations: Int64?
    /// The tuple arrival-rate and shared-iterations executors share their work with: the
    /// sequence re-segmented by the VU count, or nil when this segment received no VUs.
    public let workTuple: ExecutionTuple?

    public init(scenario: Scenario, tuple: ExecutionTuple) {
        self.scenario = scenario
        self.tuple = tuple
        switch scenario.executor {
        case .sharedIterations(let c):
            plannedVUs = tuple.scale(c.vus)
            maxVUs = plannedVUs
            workTuple = c.vus >= 1 ? try? tuple.resegmented(byValue: c.vus) : nil
            iterations = plannedVUs > 0 ? workTuple?.scale(c.iterations) ?? 0 : 0
        case .perVUIterations(let c):
            plannedVUs = tuple.scale(c.vus)
            maxVUs = plannedVUs
            workTuple = nil
            iterations = plannedVUs * c.iterations
        case .constantVUs(let c):
            plannedVUs = tuple.scale(c.vus)
            maxVUs = plannedVUs
            workTuple = nil
            iterations = nil
        case .rampingVUs(let c):
            let steps = RampingVUsSteps.raw(c, tuple: tuple, zeroEnd: false)
            plannedVUs = steps.map(\.vus).max() ?? 0
            maxVUs = plannedVUs
            workTuple = nil
            iterations = nil
        case .constantArrivalRate(let c):
            plannedVUs = tuple.scale(c.preAllocatedVUs)
            maxVUs = tuple.scale(c.maxVUs)
            workTuple = maxVUs > 0 ? try? tuple.resegmented(byValue: c.maxVUs) : nil
            let period = ExecutorSchedule.period(rate: c.rate, timeUnit: c.timeUnit)
            let total = period > 0 ? (c.duration.nanoseconds + period - 1) / period : 0
            iterations = workTuple?.scale(total) ?? 0
        case .rampingArrivalRate(let c):
            plannedVUs = tuple.scale(c.preAllocatedVUs)
            maxVUs = tuple.scale(c.maxVUs)
            workTuple = maxVUs > 0 ? try? tuple.resegmented(byValue: c.maxVUs) : nil
            iterations = workTuple?.scale(ExecutorSchedule.totalArrivals(c)) ?? 0
        }
    }

    /// The executor's name (`ramping-arrival-rate`, ...).
    public var executor: ExecutorKind { scenario.executor.kind }

    /// Whether this segment has anything to do in this scenario.
    public var hasWork: Bool {
        switch scenario.executor {
        case .sharedIterations, .perVUIterations: plannedVUs > 0 && (iterations ?? 0) > 0
        case .constantVUs, .rampingVUs: plannedVUs > 0
        case .constantArrivalRate, .rampingArrivalRate: maxVUs > 0
        }
    }

    /// How long the executor runs before its graceful stop: `maxDuration`, `duration` or the
    /// sum of the stages.
    public var duration: Duration {
        switch scenario.executor {
        case .sharedIterations(let c): c.maxDuration
        case .perVUIterations(let c): c.maxDuration
        case .constantVUs(let c): c.duration
        case .rampingVUs(let c): c.stages.reduce(.zero) { $0 + $1.duration }
        case .constantArrivalRate(let c): c.duration
        case .rampingArrivalRate(let c): c.stages.reduce(.zero) { $0 + $1.duration }
        }
    }

    /// The longest the scenario can take, graceful stop included, from its own start.
    public var maxDuration: Duration { duration + scenario.gracefulStop }

    /// The raw VU steps of a `ramping-vus` scenario, ending with 0 VUs at the end of the stages.
    public var vuSteps: [VUStep]? {
        guard case .rampingVUs(let c) = scenario.executor else { return nil }
        return RampingVUsSteps.raw(c, tuple: tuple, zeroEnd: true)
    }

    /// What the scenario needs over time, relative to its own start; the last entry is the
    /// executor's end (graceful stop included) with 0 VUs.
    public var requirements: [ExecutionRequirement] {
        let end = maxDuration.nanoseconds
        switch scenario.executor {
        case .rampingVUs(let c):
            return RampingVUsSteps.requirements(c, tuple: tuple, gracefulStop: scenario.gracefulStop)
        case .constantArrivalRate, .rampingArrivalRate:
            return [ExecutionRequirement(at: 0, planned: plannedVUs, unplanned: maxVUs - plannedVUs), ExecutionRequirement(at: end, planned: 0)]
        case .sharedIterations, .perVUIterations, .constantVUs:
            return [ExecutionRequirement(at: 0, planned: plannedVUs), ExecutionRequirement(at: end, planned: 0)]
        }
    }

    /// The start times of the iterations this segment runs, for arrival-rate executors.
    public func iterationStarts() -> IterationStarts? {
        switch scenario.executor {
        case .constantArrivalRate(let c):
            guard let workTuple else { return nil }
            return IterationStarts(
                shape: .constant(period: ExecutorSchedule.period(rate: c.rate, timeUnit: c.timeUnit), duration: c.duration.nanoseconds),
                stripe: workTuple.stripe)
        case .rampingArrivalRate(let c):
            guard let workTuple else { return nil }
            return IterationStarts(
                shape: .ramping(startRate: c.startRate, timeUnit: c.timeUnit.nanoseconds, stages: c.stages),
                stripe: workTuple.stripe)
        default:
            return nil
        }
    }

    /// The unscaled period between global iterations: trunc(timeUnit / rate) ns.
    static func period(rate: Int64, timeUnit: Duration) -> Int64 {
        rate > 0 ? timeUnit.nanoseconds / rate : 0
    }

    /// ⌊total area⌋ under the rate curve, summed in the same floating-point order as the
    /// start-time generator, so that the count matches the starts it yields.
    static func totalArrivals(_ c: RampingArrivalRate) -> Int64 {
        let unit = Double(c.timeUnit.nanoseconds)
        var from = Double(c.startRate) / unit
        var end = 0.0
        for stage in c.stages {
            let to = Double(stage.target) / unit
            end += stage.progression.arrivalArea(from: from, to: to, duration: Double(stage.duration.nanoseconds))
            from = to
        }
        return end >= Double(Int64.max) ? Int64.max : Int64(end.rounded(.down))
    }
}
