import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct ArrivalRateScheduleTests {
    @Test func constantArrivalRateStripesGlobalIterations() throws {
        let scenario = Fixture.scenario(.constantArrivalRate(ConstantArrivalRate(
            rate: 20, timeUnit: .milliseconds(950), duration: .seconds(1), preAllocatedVUs: 5, maxVUs: 5)))
        let ids = try Fixture.all("0,1/4,3/4,1").map { tuple in
            Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: tuple)).map(\.id)
        }
        #expect(ids[0] == [1, 6, 11, 16, 21])
        #expect(ids[1] == [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19, 20])
        #expect(ids[2] == [3, 8, 13, 18])
        let whole = Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: .full))
        #expect(whole.count == 22)
        #expect(whole[3] == IterationStart(id: 3, at: 3 * 47_500_000))
        #expect(ExecutorSchedule(scenario: scenario, tuple: .full).iterations == 22)
    }

    @Test func rampingArrivalRateCountsTheArea() {
        let scenario = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
            startRate: 10, stages: [Fixture.stage(1, 10), Fixture.stage(1, 50), Fixture.stage(1, 50)], preAllocatedVUs: 1, maxVUs: 1)))
        let schedule = ExecutorSchedule(scenario: scenario, tuple: .full)
        let starts = Fixture.starts(schedule)
        #expect(starts.count == 90)
        #expect(schedule.iterations == 90)
        // Per stage (s, s+1]: an event exactly at a stage's end belongs to that stage.
        let perSecond = (0..<3).map { s in starts.filter { $0.at > Int64(s) * 1_000_000_000 && $0.at <= Int64(s + 1) * 1_000_000_000 }.count }
        #expect(perSecond == [10, 30, 50])
        // The first iteration comes at 1/rate, not at 0; one exactly at a stage end belongs to it.
        #expect(starts[0] == IterationStart(id: 0, at: 100_000_000))
        #expect(starts[9].at == 1_000_000_000)
        #expect(starts.map(\.id) == Array(0..<90))
    }

    @Test func aZeroDurationStageOnlyChangesTheRate() {
        let scenario = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
            startRate: 0, stages: [Fixture.stage(0, 10), Fixture.stage(1, 10)], preAllocatedVUs: 1, maxVUs: 1)))
        let starts = Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: .full))
        #expect(starts.map(\.at) == (1...10).map { Int64($0) * 100_000_000 })
    }

    private static let rampUpAndDown = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
        startRate: 0, stages: [Fixture.stage(5, 1), Fixture.stage(1, 1), Fixture.stage(5, 0)], preAllocatedVUs: 3, maxVUs: 3)))

    /// 3.162, 4.472, 5.5, 6.527, 7.837 and 11 s in the reference's notes; exactly √10, √20, 5.5,
    /// 11 − √20, 11 − √10 and 11 s, which float64 reaches within a few nanoseconds.
    @Test func rampingArrivalRateStartTimes() throws {
        let (r10, r20) = (Double(10).squareRoot(), Double(20).squareRoot())
        let exact = [r10, r20, 5.5, 11 - r20, 11 - r10, 11]
        func near(_ tuple: ExecutionTuple, _ expected: [Int]) -> Bool {
            let starts = Fixture.starts(ExecutorSchedule(scenario: Self.rampUpAndDown, tuple: tuple))
            return starts.map(\.id) == expected.map(Int64.init)
                && zip(starts, expected).allSatisfy { abs(Double($0.at) - exact[$1] * 1e9) < 1000 }
        }
        #expect(near(.full, [0, 1, 2, 3, 4, 5]))
        #expect(near(try Fixture.tuple("0:1/3", nil), [1, 4]))
        #expect(near(try Fixture.tuple("2/3:1", "0,1/3,2/3,1"), [2, 5]))
        #expect(Fixture.starts(ExecutorSchedule(scenario: Self.rampUpAndDown, tuple: .full))[0].at == 3_162_277_660)
    }

    @Test func requirementsOfASegment() throws {
        let scenario = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
            stages: [Fixture.stage(10, 100)], preAllocatedVUs: 1, maxVUs: 4000)))
        let schedule = ExecutorSchedule(scenario: scenario, tuple: try Fixture.tuple("0:1/4", "0,1/4,2/4,3/4,1"))
        #expect(schedule.requirements.first == ExecutionRequirement(at: 0, planned: 1, unplanned: 999))
        #expect(schedule.requirements.last == ExecutionRequirement(at: 40_000_000_000, planned: 0))
    }

    /// Random stages (0–5 of them, 0–4 s, targets 0–40/s) and a random sequence: the union of
    /// every segment's starts is the unsegmented schedule, with no id twice.
    @Test func unionOfSegmentsIsTheWholeSchedule() async {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 0...40).array(of: 0...5), Gen.int(in: 0...4000).array(of: 0...5),
            Gen.int(in: 0...100).array(of: 0...5), Gen.int(in: 2...10), Gen.int(in: 1...30)
        ) { targets, millis, cuts, denominator, maxVUs in
            let stages = zip(targets, millis).map { Stage(duration: .milliseconds($1), target: Int64($0)) }
            let ramping = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
                startRate: Int64(targets.last ?? 0), stages: stages, preAllocatedVUs: 1, maxVUs: Int64(maxVUs))))
            let constant = Fixture.scenario(.constantArrivalRate(ConstantArrivalRate(
                rate: Int64((targets.first ?? 0) + 1), duration: .milliseconds(Int64(millis.first ?? 0)), preAllocatedVUs: 1, maxVUs: Int64(maxVUs))))
            let sequence = ExecutionTupleTests.randomSequence(cuts, denominator: denominator)
            guard let tuples = try? Fixture.all(sequence) else {
                Issue.record("bad sequence \(sequence)")
                return
            }
            for scenario in [ramping, constant] {
                let whole = Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: .full))
                var union: [IterationStart] = []
                var counted: Int64 = 0
                for tuple in tuples {
                    let schedule = ExecutorSchedule(scenario: scenario, tuple: tuple)
                    let starts = Fixture.starts(schedule)
                    #expect(zip(starts, starts.dropFirst()).allSatisfy { $0.at <= $1.at && $0.id < $1.id })
                    #expect(Int64(starts.count) == schedule.iterations)
                    counted += schedule.iterations ?? 0
                    union += starts
                }
                #expect(union.sorted { $0.id < $1.id } == whole, "\(sequence) maxVUs \(maxVUs)")
                #expect(counted == Int64(whole.count))
            }
        }
    }
}
