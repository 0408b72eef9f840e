import LoadTreeCore

/// How fast iteration start times come out of the schedule, against the trivial
/// constant-arrival-rate generator (a multiplication per start) as the peer.
func scheduleBench() {
    print("schedules: iteration start times")
    let count = 5_000_000
    let ramping = Scenario(
        name: "ramp",
        executor: .rampingArrivalRate(RampingArrivalRate(
            startRate: 0, stages: [Stage(duration: .seconds(3600), target: 10_000)], preAllocatedVUs: 10, maxVUs: 30)))
    func ramp(_ progression: StageProgression) -> Scenario {
        Scenario(
            name: "ramp",
            executor: .rampingArrivalRate(RampingArrivalRate(
                startRate: 0, stages: [Stage(duration: .seconds(3600), target: 10_000, progression: progression)],
                preAllocatedVUs: 10, maxVUs: 30)))
    }
    let expression: StageProgression
    do {
        expression = try StageProgression(parsing: "r = (exp(3*t) - 1) / (exp(3) - 1) + 0.05*sin(2*pi*t)")
    } catch {
        fatalError("bench expression: \(error)")
    }
    let constant = Scenario(
        name: "flat",
        executor: .constantArrivalRate(ConstantArrivalRate(rate: 10_000, duration: .seconds(3600), preAllocatedVUs: 10, maxVUs: 30)))
    func drain(_ scenario: Scenario, _ tuple: ExecutionTuple) -> Int {
        guard let starts = ExecutorSchedule(scenario: scenario, tuple: tuple).iterationStarts() else { return 0 }
        var last: Int64 = 0
        for start in starts.prefix(count) { last &+= start.at }
        return Int(truncatingIfNeeded: last)
    }
    let full = ExecutionTuple.full
    let third: ExecutionTuple
    do {
        let sequence = try ExecutionSegmentSequence(parsing: "0,1/3,2/3,1")
        third = try ExecutionTuple(segment: sequence.segments[1], sequence: sequence)
    } catch {
        fatalError("bench sequence: \(error)")
    }
    let rar = measure("ramping-arrival-rate, whole test", operations: count) { drain(ramping, full) }
    let car = measure("constant-arrival-rate, whole test (peer)", operations: count) { drain(constant, full) }
    let rarThird = measure("ramping-arrival-rate, segment 1/3:2/3", operations: count) { drain(ramping, third) }
    let quad = measure("ramping-arrival-rate easeInQuad, whole test", operations: count) { drain(ramp(.easing(.easeInQuad)), full) }
    let expr = measure("ramping-arrival-rate r = expression, whole test", operations: count) { drain(ramp(expression), full) }
    ratio("ramping / constant", rar, car)
    ratio("easeInQuad / linear ramp", quad, rar)
    ratio("expression / linear ramp", expr, rar)
    ratio("easeInQuad / expression", quad, expr)
    ratio("ramping segment / ramping whole", rarThird, rar)
}
