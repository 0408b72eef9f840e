import Testing
import LoadTreeCore

@Suite struct PlanThresholdTests {
    private func plan(_ thresholds: String) -> String {
        PlanTestSupport.defaultFlow + "metrics:\n  orders: {type: counter}\nthresholds:\n" + thresholds
    }

    @Test func readsStringsAndMappings() throws {
        let loaded = try PlanLoader.load(text: plan("""
              http_req_duration:
                - p(95)<500
                - threshold: p(99.9) < 1500
                  abortOnFail: true
                  delayAbortEval: 10s
              "http_req_duration{scenario: 'buyers', status:\\"200\\"}": "p(90)<800"
              orders: ["count>10"]
            """), fileName: "plan.yaml")
        #expect(loaded.thresholds == [
            MetricThresholds(selector: MetricSelector(name: "http_req_duration"), thresholds: [
                Threshold(source: "p(95)<500", expression: .init(aggregation: .percentile(95), op: .less, limit: 500)),
                Threshold(source: "p(99.9) < 1500", expression: .init(aggregation: .percentile(99.9), op: .less, limit: 1500),
                          abortOnFail: true, delayAbortEval: .seconds(10)),
            ]),
            MetricThresholds(selector: MetricSelector(name: "http_req_duration", tags: ["scenario": "buyers", "status": "200"]), thresholds: [
                Threshold(source: "p(90)<800", expression: .init(aggregation: .percentile(90), op: .less, limit: 800)),
            ]),
            MetricThresholds(selector: MetricSelector(name: "orders"), thresholds: [
                Threshold(source: "count>10", expression: .init(aggregation: .count, op: .greater, limit: 10)),
            ]),
        ])
    }

    /// Every invalid form the reference names in §4.2, each reported at its own position.
    @Test func invalidThresholdsAreConfigErrors() {
        let errors = PlanTestSupport.errors(plan("""
              http_req_duration: ["p()<1", "p(101)<1", "p(-1)<1", "p(NaN)<1", "rate<1", "avgg<1", "p(95)"]
              http_reqs: ["p(95)<1", "count>1"]
              vus: ["value<10", "avg<1"]
              checks: ["rate>0.9", "count>1"]
              http_req_durations: ["p(95)<1"]
              "http_reqs{status}": ["count>1"]
              orders: ["p(50)<1"]
              nothing_here: ["count>1"]
            """))
        #expect(errors == [
            "plan.yaml:7:23: error: failed parsing threshold expression \"p()<1\": the percentile in p() must be a number between 0 and 100, such as p(95) or p(99.9)",
            "plan.yaml:7:32: error: failed parsing threshold expression \"p(101)<1\": the percentile in p(101) must be a number between 0 and 100, such as p(95) or p(99.9)",
            "plan.yaml:7:44: error: failed parsing threshold expression \"p(-1)<1\": the percentile in p(-1) must be a number between 0 and 100, such as p(95) or p(99.9)",
            "plan.yaml:7:55: error: failed parsing threshold expression \"p(NaN)<1\": the percentile in p(NaN) must be a number between 0 and 100, such as p(95) or p(99.9)",
            "plan.yaml:7:67: error: threshold \"rate<1\" on metric \"http_req_duration\" uses \"rate\", which a trend metric does not have; use avg, min, max, med, p(N)",
            "plan.yaml:7:77: error: failed parsing threshold expression \"avgg<1\": unknown aggregation \"avgg\"; use count, rate, value, avg, min, max, med or p(N)",
            "plan.yaml:7:87: error: failed parsing threshold expression \"p(95)\": expected <aggregation> <operator> <number>, such as p(95)<500 or rate>0.99",
            "plan.yaml:8:15: error: threshold \"p(95)<1\" on metric \"http_reqs\" uses \"p(95)\", which a counter metric does not have; use count, rate",
            "plan.yaml:9:21: error: threshold \"avg<1\" on metric \"vus\" uses \"avg\", which a gauge metric does not have; use value",
            "plan.yaml:10:24: error: threshold \"count>1\" on metric \"checks\" uses \"count\", which a rate metric does not have; use rate",
            "plan.yaml:11:3: error: threshold on unknown metric \"http_req_durations\"; did you mean \"http_req_duration\"?",
            "plan.yaml:12:3: error: malformed metric selector \"http_reqs{status}\": tag \"status\" needs the form key:value",
            "plan.yaml:13:12: error: threshold \"p(50)<1\" on metric \"orders\" uses \"p(50)\", which a counter metric does not have; use count, rate",
            "plan.yaml:14:3: error: threshold on unknown metric \"nothing_here\"; declare custom metrics under \"metrics\"",
        ])
    }

    @Test func badAbortOptions() {
        let errors = PlanTestSupport.errors(plan("""
              checks:
                - threshold: rate>0.9
                  abortOnFail: maybe
                  delayAbortEval: later
                  abortOnFial: true
                - abortOnFail: true
            """))
        #expect(errors == [
            "plan.yaml:9:20: error: expected true or false for \"abortOnFail\" in a threshold of the thresholds of \"checks\", found \"maybe\"",
            "plan.yaml:10:23: error: invalid duration for \"delayAbortEval\" in a threshold of the thresholds of \"checks\": expected a duration such as 30s, 1m30s or 500ms, found \"later\"",
            "plan.yaml:11:7: error: unknown key \"abortOnFial\" in a threshold of the thresholds of \"checks\"; did you mean \"abortOnFail\"?",
            "plan.yaml:12:7: error: a threshold of the thresholds of \"checks\" is missing required key \"threshold\"",
        ])
    }
}
