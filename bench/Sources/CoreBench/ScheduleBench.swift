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
    ratio("ramping / constant", rar, car)
    ratio("ramping segment / ramping whole", rarThird, rar)
}
