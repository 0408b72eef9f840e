import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct RampingVUsScheduleTests {
    @Test func halvesStartAndStopAlternateVUs() throws {
        let scenario = Fixture.scenario(.rampingVUs(RampingVUs(startVUs: 0, stages: [Fixture.stage(10, 10), Fixture.stage(10, 0)])))
        let seconds = { (tuple: ExecutionTuple) in
            (ExecutorSchedule(scenario: scenario, tuple: tuple).vuSteps ?? []).map { [$0.at / 1_000_000_000, $0.vus] }
        }
        #expect(try seconds(Fixture.tuple("0:1/2", "0,1/2,1")) == [
            [0, 0], [1, 1], [3, 2], [5, 3], [7, 4], [9, 5], [12, 4], [14, 3], [16, 2], [18, 1], [20, 0],
        ])
        #expect(try seconds(Fixture.tuple("1/2:1", "0,1/2,1")) == [
            [0, 0], [2, 1], [4, 2], [6, 3], [8, 4], [10, 5], [11, 4], [13, 3], [15, 2], [17, 1], [19, 0],
        ])
    }

    private static let referencePlan = RampingVUs(
        startVUs: 4,
        stages: [
            Fixture.stage(2, 6), Fixture.stage(5, 1), Fixture.stage(4, 5), Fixture.stage(4, 1),
            Fixture.stage(3, 4), Fixture.stage(2, 4), Fixture.stage(0, 1), Fixture.stage(3, 1),
        ])

    @Test func rawStepsOfTheReferenceExample() {
        let steps = ExecutorSchedule(scenario: Fixture.scenario(.rampingVUs(Self.referencePlan)), tuple: .full).vuSteps ?? []
        #expect(steps.map { [$0.at / 1_000_000_000, $0.vus] } == [
            [0, 4], [1, 5], [2, 6], [3, 5], [4, 4], [5, 3], [6, 2], [7, 1], [8, 2], [9, 3], [10, 4],
            [11, 5], [12, 4], [13, 3], [14, 2], [15, 1], [16, 2], [17, 3], [18, 4], [20, 1], [23, 0],
        ])
    }

    @Test func requirementsReserveGracefulRampDowns() {
        let schedule = ExecutorSchedule(scenario: Fixture.scenario(.rampingVUs(Self.referencePlan)), tuple: .full)
        #expect(schedule.requirements.map { [$0.at / 1_000_000_000, $0.planned] } == [
            [0, 4], [1, 5], [2, 6], [33, 5], [42, 4], [50, 1], [53, 0],
        ])
        #expect(schedule.plannedVUs == 6)
        #expect(schedule.description == "Up to 6 looping VUs for 23s over 8 stages (gracefulRampDown: 30s, gracefulStop: 30s)")
    }

    /// The planned VUs of all segments add up to the unsegmented plan at every instant.
    @Test func segmentsSumToTheWholeAtEveryInstant() async {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 0...25).array(of: 1...5), Gen.int(in: 0...3000).array(of: 1...5),
            Gen.int(in: 0...20), Gen.int(in: 0...100).array(of: 0...5), Gen.int(in: 2...10)
        ) { targets, millis, start, cuts, denominator in
            let config = RampingVUs(
                startVUs: Int64(start),
                stages: zip(targets, millis).map { Stage(duration: .milliseconds($1), target: Int64($0)) })
            let scenario = Fixture.scenario(.rampingVUs(config))
            let sequence = ExecutionTupleTests.randomSequence(cuts, denominator: denominator)
            guard let tuples = try? Fixture.all(sequence) else {
                Issue.record("bad sequence \(sequence)")
                return
            }
            let whole = ExecutorSchedule(scenario: scenario, tuple: .full).vuSteps ?? []
            let parts = tuples.map { ExecutorSchedule(scenario: scenario, tuple: $0).vuSteps ?? [] }
            func value(_ steps: [VUStep], at t: Int64) -> Int64 { steps.last { $0.at <= t }?.vus ?? 0 }
            let instants = Set((parts.flatMap { $0 } + whole).map(\.at))
            for t in instants {
                #expect(parts.map { value($0, at: t) }.reduce(0, +) == value(whole, at: t), "\(sequence) at \(t)")
            }
        }
    }
}
