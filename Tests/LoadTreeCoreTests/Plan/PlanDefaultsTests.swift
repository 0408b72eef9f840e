import Testing
import LoadTreeCore

@Suite struct PlanDefaultsTests {
    private func scenarios(_ yaml: String) throws -> [Scenario] {
        try PlanLoader.load(text: PlanTestSupport.defaultFlow + yaml, fileName: "plan.yaml").scenarios
    }

    @Test func everyExecutorGetsTheReferenceDefaults() throws {
        let loaded = try scenarios("""
            scenarios:
              shared:
                executor: shared-iterations
              perVU:
                executor: per-vu-iterations
              constant:
                executor: constant-vus
                duration: 30s
              ramping:
                executor: ramping-vus
                stages: [{duration: 10s, target: 5}]
              car:
                executor: constant-arrival-rate
                rate: 10
                duration: 1m
                preAllocatedVUs: 4
              rar:
                executor: ramping-arrival-rate
                preAllocatedVUs: 3
                stages: [{duration: 10s, target: 5}]
            """)
        #expect(loaded.map(\.name) == ["shared", "perVU", "constant", "ramping", "car", "rar"])
        #expect(loaded.map(\.executor) == [
            .sharedIterations(SharedIterations(vus: 1, iterations: 1, maxDuration: .seconds(600))),
            .perVUIterations(PerVUIterations(vus: 1, iterations: 1, maxDuration: .seconds(600))),
            .constantVUs(ConstantVUs(vus: 1, duration: .seconds(30))),
            .rampingVUs(RampingVUs(startVUs: 1, stages: [Stage(duration: .seconds(10), target: 5)], gracefulRampDown: .seconds(30))),
            .constantArrivalRate(ConstantArrivalRate(rate: 10, timeUnit: .seconds(1), duration: .seconds(60), preAllocatedVUs: 4, maxVUs: 4)),
            .rampingArrivalRate(RampingArrivalRate(startRate: 0, timeUnit: .seconds(1), stages: [Stage(duration: .seconds(10), target: 5)], preAllocatedVUs: 3, maxVUs: 3)),
        ])
        for scenario in loaded {
            #expect(scenario.startTime == .zero)
            #expect(scenario.gracefulStop == .seconds(30))
            #expect(scenario.flow == "default")
            #expect(scenario.tags.isEmpty && scenario.env.isEmpty)
        }
    }

    @Test func explicitValuesOverrideDefaults() throws {
        let loaded = try scenarios("""
            scenarios:
              a:
                executor: ramping-arrival-rate
                startRate: 2
                timeUnit: 1m
                preAllocatedVUs: 3
                maxVUs: 9
                stages:
                  - {duration: 1m30s, target: 50}
                  - {duration: 500, target: 0}
                startTime: 10s
                gracefulStop: 0s
                tags: {zone: eu-west, tier: 1}
                env: {MODE: fast}
            """)
        #expect(loaded == [Scenario(
            name: "a",
            executor: .rampingArrivalRate(RampingArrivalRate(
                startRate: 2, timeUnit: .seconds(60),
                stages: [Stage(duration: .seconds(90), target: 50), Stage(duration: .milliseconds(500), target: 0)],
                preAllocatedVUs: 3, maxVUs: 9)),
            startTime: .seconds(10), gracefulStop: .zero, flow: "default",
            tags: ["zone": "eu-west", "tier": "1"], env: ["MODE": "fast"])])
    }

    @Test(arguments: [
        ("vus: 10\nduration: 30s", ExecutorConfig.constantVUs(ConstantVUs(vus: 10, duration: .seconds(30)))),
        ("iterations: 20\nvus: 4", .sharedIterations(SharedIterations(vus: 4, iterations: 20, maxDuration: .seconds(600)))),
        ("iterations: 5\nduration: 1m", .sharedIterations(SharedIterations(vus: 1, iterations: 5, maxDuration: .seconds(60)))),
        ("vus: 3\nstages: [{duration: 5s, target: 8}]", .rampingVUs(RampingVUs(startVUs: 3, stages: [Stage(duration: .seconds(5), target: 8)]))),
        ("stages: [{duration: 5s, target: 8}]", .rampingVUs(RampingVUs(startVUs: 1, stages: [Stage(duration: .seconds(5), target: 8)]))),
        ("vus: 2", .perVUIterations(PerVUIterations(vus: 2, iterations: 1))),
        ("tags: {a: b}", .perVUIterations(PerVUIterations(vus: 1, iterations: 1))),
    ])
    func shortcutsBecomeTheDefaultScenario(yaml: String, executor: ExecutorConfig) throws {
        let loaded = try scenarios(yaml)
        #expect(loaded == [Scenario(name: "default", executor: executor)])
    }

    @Test func shortcutConflicts() {
        let plan = PlanTestSupport.defaultFlow + """
            vus: 2
            stages: [{duration: 5s, target: 8}]
            duration: 10s
            scenarios:
              a: {executor: shared-iterations}
            """
        #expect(PlanTestSupport.errors(plan) == [
            "plan.yaml:4:1: error: \"vus\" cannot be combined with \"scenarios\"; set it inside a scenario instead",
            "plan.yaml:5:1: error: \"stages\" cannot be combined with \"scenarios\"; set it inside a scenario instead",
            "plan.yaml:6:1: error: \"duration\" cannot be combined with \"scenarios\"; set it inside a scenario instead",
        ])
        let both = PlanTestSupport.defaultFlow + "stages: [{duration: 5s, target: 8}]\niterations: 3\n"
        #expect(PlanTestSupport.errors(both) == [
            "plan.yaml:4:1: error: \"iterations\" and \"stages\" cannot be used together; use scenarios to combine them",
        ])
        #expect(PlanTestSupport.errors(PlanTestSupport.defaultFlow + "vus: 0\nduration: 1s\n") == [
            "plan.yaml:4:6: error: \"vus\" must be greater than 0, found 0",
        ])
        #expect(PlanTestSupport.errors(PlanTestSupport.defaultFlow + "iterations: 3\nduration: 0s\n") == [
            "plan.yaml:5:11: error: \"duration\" must be longer than 0s",
        ])
        #expect(PlanTestSupport.errors(PlanTestSupport.defaultFlow + "vus: 0\nstages: [{duration: 1s, target: 0}]\n") == [
            "plan.yaml:5:1: error: the plan never runs a VU: \"vus\" or a stage's \"target\" must be greater than 0",
        ])
    }

    /// Anchors under `x-…` keys and YAML merge keys let scenarios share settings.
    @Test func mergeKeysShareSettings() throws {
        let loaded = try scenarios("""
            x-common: &common
              executor: constant-vus
              duration: 10s
              vus: 1
            scenarios:
              a:
                <<: *common
                vus: 3
              b:
                <<: [*common, {gracefulStop: 1s}]
            """)
        #expect(loaded == [
            Scenario(name: "a", executor: .constantVUs(ConstantVUs(vus: 3, duration: .seconds(10)))),
            Scenario(name: "b", executor: .constantVUs(ConstantVUs(vus: 1, duration: .seconds(10))), gracefulStop: .seconds(1)),
        ])
    }

    @Test func topLevelSectionsAreKept() throws {
        let plan = try PlanLoader.load(text: PlanTestSupport.defaultFlow + """
            tags: {team: web}
            vars: {base: "http://h", user: "u-${env.USER}"}
            metrics:
              orders: {type: counter}
              latency: {type: trend, contains: time}
            data:
              users: {file: users.csv}
              items: {file: items.txt, format: json, select: per-vu}
            executionSegment: "1/3:2/3"
            executionSegmentSequence: "0,1/3,2/3,1"
            """, fileName: "plan.yaml")
        #expect(plan.tags == ["team": "web"])
        #expect(plan.vars == ["base": "http://h", "user": "u-${env.USER}"])
        #expect(plan.metrics == [CustomMetric(name: "orders", type: .counter), CustomMetric(name: "latency", type: .trend, kind: .time)])
        #expect(plan.data == [DataSource(name: "users", file: "users.csv", format: .csv), DataSource(name: "items", file: "items.txt", format: .json, selection: .perVU)])
        #expect(plan.executionSegment == "1/3:2/3")
        #expect(plan.executionSegmentSequence == "0,1/3,2/3,1")
        #expect(plan.metricDefinition(named: "latency")! == (.trend, .time))
        #expect(plan.metricDefinition(named: "http_reqs")! == (.counter, .default))
        #expect(plan.metricDefinition(named: "nope") == nil)
    }
}
