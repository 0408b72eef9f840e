import Testing
@testable import LoadTreeCore

@Suite struct IterationScheduleTests {
    @Test func sharedIterationsFollowTheVUsEachSegmentGot() throws {
        let scenario = Fixture.scenario(.sharedIterations(SharedIterations(vus: 12, iterations: 22)))
        let schedules = try Fixture.all("0,1/3,2/3,1").map { ExecutorSchedule(scenario: scenario, tuple: $0) }
        #expect(schedules.map(\.iterations) == [8, 7, 7])
        #expect(schedules.map(\.plannedVUs) == [4, 4, 4])
    }

    @Test func sharedIterationsGiveNothingToASegmentWithoutVUs() throws {
        let scenario = Fixture.scenario(.sharedIterations(SharedIterations(vus: 1, iterations: 10)))
        let schedules = try Fixture.all("0,1/3,2/3,1").map { ExecutorSchedule(scenario: scenario, tuple: $0) }
        #expect(schedules.map(\.iterations) == [10, 0, 0])
        #expect(schedules.map(\.hasWork) == [true, false, false])
    }

    @Test func perVUIterationsAreNotScaled() throws {
        let scenario = Fixture.scenario(.perVUIterations(PerVUIterations(vus: 5, iterations: 3)))
        let schedules = try Fixture.all("0,1/2,1").map { ExecutorSchedule(scenario: scenario, tuple: $0) }
        #expect(schedules.map(\.plannedVUs) == [3, 2])
        #expect(schedules.map(\.iterations) == [9, 6])
    }

    @Test func segmentOfQuartersLeavesTwoOfThreeScenariosWithWork() throws {
        let tuple = try Fixture.tuple("3/4:1", "0,1/4,2/4,3/4,1")
        let scenarios = [
            Fixture.scenario(.constantVUs(ConstantVUs(vus: 4, duration: .seconds(10))), name: "a"),
            Fixture.scenario(.perVUIterations(PerVUIterations(vus: 1, iterations: 5)), name: "b"),
            Fixture.scenario(.constantArrivalRate(ConstantArrivalRate(rate: 10, duration: .seconds(10), preAllocatedVUs: 2, maxVUs: 4)), name: "c"),
        ]
        let schedule = TestSchedule(scenarios: scenarios, tuple: tuple)
        #expect(schedule.scenarios.map(\.hasWork) == [true, false, true])
    }

    @Test func executionHeaderReadsLikeTheReference() throws {
        let scenarios = [
            Fixture.scenario(.constantVUs(ConstantVUs(vus: 10, duration: .seconds(60))), name: "browse"),
            Scenario(
                name: "buy",
                executor: .rampingArrivalRate(RampingArrivalRate(startRate: 0, stages: [Fixture.stage(30, 50), Fixture.stage(60, 50)], preAllocatedVUs: 10, maxVUs: 100)),
                startTime: .seconds(10), flow: "checkout"),
        ]
        let header = TestSchedule(scenarios: scenarios, tuple: .full).header
        #expect(header == [
            "scenarios: (100.00%) 2 scenarios, 110 max VUs, 2m10s max duration (incl. graceful stop):",
            "         * browse: 10 looping VUs for 1m0s (gracefulStop: 30s)",
            "         * buy: Up to 50.00 iterations/s for 1m30s over 2 stages (maxVUs: 10-100, flow: checkout, startTime: 10s, gracefulStop: 30s)",
        ])
    }

    @Test func maxVUsFollowStartTimes() {
        let scenarios = [
            Scenario(name: "a", executor: .constantVUs(ConstantVUs(vus: 5, duration: .seconds(10))), gracefulStop: .zero),
            Scenario(name: "b", executor: .constantVUs(ConstantVUs(vus: 7, duration: .seconds(10))), startTime: .seconds(10)),
        ]
        let schedule = TestSchedule(scenarios: scenarios, tuple: .full)
        // "a" ends (no graceful stop) exactly when "b" starts: never 12 at once.
        #expect(schedule.maxVUs == 7)
        #expect(schedule.maxDuration == .seconds(50))
    }
}
