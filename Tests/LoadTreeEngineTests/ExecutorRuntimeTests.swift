import LoadTreeCore
import LoadTreeEngine
import Testing

@Suite struct ExecutorRuntimeTests {
    @Test func sharedIterationsRunExactlyTheirCount() async {
        let (workload, engine) = await EngineFixture.run(.sharedIterations(SharedIterations(vus: 3, iterations: 20, maxDuration: .seconds(10))))
        let ids = workload.all.map(\.info.inTest).sorted()
        #expect(ids == Array(0..<20))
        #expect(Set(workload.all.map(\.info.vu.global)).isSubset(of: [1, 2, 3]))
        #expect(EngineFixture.counter(engine, "iterations") == 20)
        #expect(engine.progress[0].completedIterations == 20)
    }

    @Test func perVUIterationsRunTheirCountOnEveryVU() async {
        let (workload, _) = await EngineFixture.run(.perVUIterations(PerVUIterations(vus: 3, iterations: 4, maxDuration: .seconds(10))))
        let perVU = Dictionary(grouping: workload.all, by: \.info.vu.global).mapValues(\.count)
        #expect(perVU == [1: 4, 2: 4, 3: 4])
    }

    @Test func constantVUsLoopUntilTheEndThenStop() async {
        let (workload, engine) = await EngineFixture.run(
            .constantVUs(ConstantVUs(vus: 2, duration: .seconds(1))), pause: .milliseconds(20))
        #expect(workload.createdVUs.map(\.global).sorted() == [1, 2])
        #expect(!workload.all.isEmpty)
        // No iteration starts after the scenario's regular end.
        #expect(workload.all.allSatisfy { $0.startedAt < 1_000_000_000 })
        #expect(engine.progress[0].interruptedIterations == 0)
    }

    @Test("vus and vus_max are sampled at each full second of the run, not before the VUs start nor after they stop")
    func vuGaugesAreSampledWhileTheVUsRun() async throws {
        let (_, engine) = await EngineFixture.run(
            .constantVUs(ConstantVUs(vus: 3, duration: .milliseconds(2_500))), pause: .milliseconds(20))
        let series = engine.metrics.snapshot().series
        for name in ["vus", "vus_max"] {
            let gauge = try #require(series.first { $0.key.name.rawValue == name }?.value)
            guard case .gauge(let sampled) = gauge else {
                Issue.record("\(name) is not a gauge: \(gauge)")
                continue
            }
            // Samples at 1 s and 2 s, all three VUs running: a sample taken at the start (none
            // active yet) or after the end (none left) would show as 0.
            #expect(sampled.min == 3, "\(name)")
            #expect(sampled.max == 3, "\(name)")
            #expect(sampled.value == 3, "\(name)")
        }
    }

    @Test func constantArrivalRateStartsOnScheduleWithGlobalIDs() async {
        let (workload, engine) = await EngineFixture.run(
            // One VU per iteration: however late the machine schedules a VU, none is dropped.
            .constantArrivalRate(ConstantArrivalRate(rate: 50, duration: .milliseconds(500), preAllocatedVUs: 25, maxVUs: 25)))
        let records = workload.all.sorted { $0.info.inTest < $1.info.inTest }
        #expect(records.map(\.info.inTest) == Array(0..<25))
        #expect(records.map(\.info.intendedStart) == (0..<25).map { Int64($0) * 20_000_000 })
        // Never early, and on time: half of them within 100 ms of the schedule even on a busy
        // machine (the run lasts 500 ms; a schedule that waited for busy VUs would drift further).
        #expect(records.allSatisfy { $0.startedAt >= $0.info.intendedStart ?? 0 })
        let lateness = records.map { $0.startedAt - ($0.info.intendedStart ?? 0) }.sorted()
        #expect(lateness[lateness.count / 2] < 100_000_000, "lateness \(lateness)")
        #expect(EngineFixture.counter(engine, "dropped_iterations") == 0)
    }

    @Test func busyVUsDropIterationsAndThePoolGrowsToMaxVUs() async {
        let (workload, engine) = await EngineFixture.run(
            .constantArrivalRate(ConstantArrivalRate(rate: 100, duration: .milliseconds(300), preAllocatedVUs: 1, maxVUs: 2)),
            pause: .milliseconds(100))
        let dropped = EngineFixture.counter(engine, "dropped_iterations")
        #expect(dropped > 0)
        #expect(Double(workload.all.count) + dropped == 30)
        #expect(workload.createdVUs.count == 2)
        #expect(engine.progress[0].droppedIterations == Int64(dropped))
    }

    @Test func aSegmentRunsExactlyItsScheduledIterations() async throws {
        let sequence = try ExecutionSegmentSequence(parsing: "0,1/3,2/3,1")
        let tuple = try ExecutionTuple(segment: sequence.segments[1], sequence: sequence)
        let config = ConstantArrivalRate(rate: 60, duration: .milliseconds(500), preAllocatedVUs: 30, maxVUs: 30)
        let (workload, _) = await EngineFixture.run(.constantArrivalRate(config), tuple: tuple)
        let planned = ExecutorSchedule(scenario: Scenario(name: "s", executor: .constantArrivalRate(config)), tuple: tuple)
        let expected = Array(planned.iterationStarts() ?? IterationStartsFixture.empty)
        #expect(workload.all.map(\.info.inTest).sorted() == expected.map(\.id))
        #expect(workload.createdVUs.map(\.global).sorted() == Array(stride(from: 2, through: 29, by: 3)))
    }

    @Test func rampingVUsFollowTheSteps() async {
        let config = RampingVUs(startVUs: 0, stages: [
            Stage(duration: .milliseconds(300), target: 3), Stage(duration: .milliseconds(300), target: 0),
        ], gracefulRampDown: .milliseconds(100))
        let (workload, engine) = await EngineFixture.run(.rampingVUs(config), pause: .milliseconds(10))
        #expect(Set(workload.all.map(\.info.vu.global)) == [1, 2, 3])
        // VU 3 starts at 300 ms (the top of the ramp), VU 1 at 100 ms.
        let firstStart = Dictionary(grouping: workload.all, by: \.info.vu.global).mapValues { $0.map(\.startedAt).min() ?? 0 }
        #expect((firstStart[1] ?? 0) >= 100_000_000)
        #expect((firstStart[3] ?? 0) >= 300_000_000)
        #expect(workload.all.allSatisfy { $0.startedAt < 600_000_000 })
        #expect(engine.counts.active == 0)
    }

    /// When every VU is done, the scenario ends: it does not sit out a long graceful stop.
    @Test func rampingVUsEndWhenTheirVUsAreDone() async {
        let config = RampingVUs(startVUs: 2, stages: [Stage(duration: .milliseconds(200), target: 0)], gracefulRampDown: .seconds(60))
        let (workload, engine) = await EngineFixture.run(.rampingVUs(config), pause: .milliseconds(10), gracefulStop: .seconds(60))
        #expect(!workload.all.isEmpty)
        #expect(engine.clock.now() < 30_000_000_000)
    }

    @Test func iterationsStillRunningAtTheHardEndAreInterrupted() async {
        let (workload, engine) = await EngineFixture.run(
            .constantVUs(ConstantVUs(vus: 1, duration: .milliseconds(50))), pause: .seconds(20), gracefulStop: .milliseconds(50))
        #expect(workload.all.count == 1)
        #expect(engine.progress[0].interruptedIterations == 1)
        #expect(engine.progress[0].completedIterations == 0)
        #expect(EngineFixture.counter(engine, "iterations") == 0)
    }
}

enum IterationStartsFixture {
    static let empty: IterationStarts = {
        let scenario = Scenario(name: "e", executor: .constantArrivalRate(ConstantArrivalRate(rate: 1, duration: .zero, preAllocatedVUs: 1)))
        guard let starts = ExecutorSchedule(scenario: scenario, tuple: .full).iterationStarts() else { preconditionFailure() }
        return starts
    }()
}
