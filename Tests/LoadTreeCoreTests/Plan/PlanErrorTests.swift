import Testing
import LoadTreeCore

@Suite struct PlanErrorTests {
    private func errors(_ text: String) -> [String] { PlanTestSupport.errors(text) }

    @Test func unknownKeyWithSuggestion() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              browse:
                executor: constant-vus
                vus: 2
                durration: 30s
            """
        #expect(errors(plan) == [
            "plan.yaml:5:3: error: scenario \"browse\" is missing required key \"duration\"",
            "plan.yaml:8:5: error: unknown key \"durration\" in scenario \"browse\"; did you mean \"duration\"?",
        ])
    }

    @Test func unknownTopLevelKeyAndReferenceAlias() {
        let plan = PlanTestSupport.defaultFlow + """
            scenario:
              a: {}
            scenarios:
              browse:
                executor: shared-iterations
                exec: default
            """
        #expect(errors(plan) == [
            "plan.yaml:4:1: error: unknown key \"scenario\" in the plan; did you mean \"scenarios\"?",
            "plan.yaml:9:5: error: unknown key \"exec\" in scenario \"browse\"; did you mean \"flow\"?",
        ])
    }

    @Test func wrongTypes() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-vus
                vus: 1.5
                duration: 10s
                tags: [x]
              b: [1, 2]
            """
        #expect(errors(plan) == [
            "plan.yaml:7:10: error: expected a whole number for \"vus\" in scenario \"a\", found 1.5",
            "plan.yaml:9:11: error: expected a mapping for \"tags\" in scenario \"a\", found a list",
            "plan.yaml:10:6: error: expected a mapping for scenario \"b\", found a list",
        ])
    }

    @Test func badDurations() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-vus
                duration: 5x
                gracefulStop: -3s
            """
        #expect(errors(plan) == [
            "plan.yaml:7:15: error: invalid duration for \"duration\" in scenario \"a\": unknown unit \"x\" in duration \"5x\"; use ns, us, ms, s, m, h or d",
            "plan.yaml:8:19: error: invalid duration for \"gracefulStop\" in scenario \"a\": duration \"-3s\" is negative; durations must be zero or more",
        ])
    }

    @Test func missingRequiredFields() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              rate:
                executor: constant-arrival-rate
                duration: 1m
              nothing:
                vus: 3
            """
        #expect(errors(plan) == [
            "plan.yaml:5:3: error: scenario \"rate\" is missing required key \"rate\"",
            "plan.yaml:5:3: error: scenario \"rate\" is missing required key \"preAllocatedVUs\"",
            "plan.yaml:8:3: error: scenario \"nothing\" is missing required key \"executor\"",
        ])
    }

    @Test func optionOfAnotherExecutor() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-vus
                duration: 1m
                rate: 10
                startVUs: 2
            """
        #expect(errors(plan) == [
            "plan.yaml:8:5: error: \"rate\" does not apply to executor constant-vus in scenario \"a\"; it is an option of constant-arrival-rate",
            "plan.yaml:9:5: error: \"startVUs\" does not apply to executor constant-vus in scenario \"a\"; it is an option of ramping-vus",
        ])
    }

    @Test func unknownExecutor() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-vu
                duration: 1m
            """
        #expect(errors(plan) == [
            "plan.yaml:6:15: error: unknown value \"constant-vu\" for \"executor\" in scenario \"a\"; did you mean \"constant-vus\"?",
        ])
    }

    @Test func limitsOfTheReference() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-arrival-rate
                rate: 0
                duration: 0s
                preAllocatedVUs: 10
                maxVUs: 5
              b:
                executor: ramping-vus
                stages: []
              c:
                executor: shared-iterations
                vus: 10
                iterations: 5
              d:
                executor: ramping-arrival-rate
                preAllocatedVUs: 10
                maxVUs: 5
                stages:
                  - {duration: 1s, target: -1}
            """
        #expect(errors(plan) == [
            "plan.yaml:7:11: error: \"rate\" in scenario \"a\" must be greater than 0, found 0",
            "plan.yaml:8:15: error: \"duration\" in scenario \"a\" must be longer than 0s",
            "plan.yaml:13:13: error: \"stages\" in scenario \"b\" must hold at least one stage",
            "plan.yaml:17:17: error: \"iterations\" in scenario \"c\" (5) must not be less than \"vus\" (10): every VU needs at least one iteration",
            "plan.yaml:23:32: error: \"target\" in stage 1 of \"stages\" in scenario \"d\" must not be negative, found -1",
        ])
    }

    @Test func maxVUsBelowPreAllocated() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-arrival-rate
                rate: 10
                duration: 1m
                preAllocatedVUs: 10
                maxVUs: 5
            """
        #expect(errors(plan) == [
            "plan.yaml:10:13: error: \"maxVUs\" in scenario \"a\" (5) must not be less than \"preAllocatedVUs\" (10)",
        ])
    }

    @Test func bodyAndJSONTogether() {
        let plan = """
            flows:
              default:
                - request:
                    method: POST
                    url: http://127.0.0.1:8080/
                    body: hello
                    json: {a: 1}
            """
        #expect(errors(plan) == [
            "plan.yaml:7:9: error: request in flow \"default\" step 1 sets both \"body\" and \"json\"; keep one",
        ])
    }

    @Test func unknownFlow() {
        let plan = PlanTestSupport.defaultFlow + """
              checkout:
                - sleep: 1s
            scenarios:
              a:
                executor: shared-iterations
                flow: chekout
              b:
                executor: shared-iterations
                flow: payment
            """
        #expect(errors(plan) == [
            "plan.yaml:9:11: error: scenario \"a\" runs flow \"chekout\", which the plan does not define; did you mean \"checkout\"?",
            "plan.yaml:12:11: error: scenario \"b\" runs flow \"payment\", which the plan does not define; defined flows are default, checkout",
        ])
    }

    @Test func flowIsCheckedEvenWhenTheExecutorIsInvalid() {
        let plan = PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: constant-vus
                vus: 1.5
                durration: 30s
                flow: defualt
            """
        #expect(errors(plan) == [
            "plan.yaml:5:3: error: scenario \"a\" is missing required key \"duration\"",
            "plan.yaml:7:10: error: expected a whole number for \"vus\" in scenario \"a\", found 1.5",
            "plan.yaml:8:5: error: unknown key \"durration\" in scenario \"a\"; did you mean \"duration\"?",
            "plan.yaml:9:11: error: scenario \"a\" runs flow \"defualt\", which the plan does not define; did you mean \"default\"?",
        ])
    }

    @Test func missingDefaultFlow() {
        #expect(errors("vus: 2\nduration: 10s\n") == [
            "plan.yaml:2:1: error: scenario \"default\" runs flow \"default\", which the plan does not define; add it under \"flows\"",
        ])
    }

    @Test func multipleErrorsReportedTogetherInFileOrder() {
        let plan = """
            thresholds:
              http_req_duration: ["p(101)<1"]
            flows:
              default:
                - request: {url: "http://x/", methd: GET}
                - sleep: soon
            scenarios:
              a:
                executor: per-vu-iterations
                vus: two
            """
        #expect(errors(plan) == [
            "plan.yaml:2:23: error: failed parsing threshold expression \"p(101)<1\": the percentile in p(101) must be a number between 0 and 100, such as p(95) or p(99.9)",
            "plan.yaml:5:35: error: unknown key \"methd\" in request in flow \"default\" step 1; did you mean \"method\"?",
            "plan.yaml:6:14: error: invalid duration for \"sleep\" in flow \"default\" step 2: expected a duration such as 30s, 1m30s or 500ms, found \"soon\"",
            "plan.yaml:10:10: error: expected a whole number for \"vus\" in scenario \"a\", found \"two\"",
        ])
    }

    @Test func wholeFileProblems() {
        #expect(errors("") == ["plan.yaml: error: the plan is empty; expected a mapping with \"scenarios\" and \"flows\""])
        #expect(errors("- a\n- b\n") == ["plan.yaml:1:1: error: expected a mapping for the plan, found a list"])
        #expect(errors("flows:\n  default: []\n") == ["plan.yaml:2:12: error: flow \"default\" has no steps"])
        #expect(throws: PlanErrors([PlanError(file: "/nonexistent/plan.yaml", line: 0, column: 0, message: "cannot read the plan file")])) {
            try PlanLoader.load(path: "/nonexistent/plan.yaml")
        }
    }

    @Test func syntaxErrorHasAPosition() {
        let lines = errors("scenarios:\n  a: [1, 2\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("plan.yaml:3:1: error: invalid YAML: ") == true)
    }

    @Test func duplicateKeys() {
        let plan = PlanTestSupport.defaultFlow + """
            vars:
              a: "1"
              a: "2"
            vus: 1
            """
        #expect(errors(plan) == ["plan.yaml:5:3: error: duplicate key \"a\": each key may appear only once in a mapping"])
    }
}
