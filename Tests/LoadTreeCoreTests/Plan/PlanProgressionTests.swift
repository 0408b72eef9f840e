import LoadTreeCore
import Testing

@Suite struct PlanProgressionTests {
    private func errors(_ yaml: String) -> [String] {
        PlanTestSupport.errors(PlanTestSupport.defaultFlow + yaml)
    }

    @Test func progressionsLoad() throws {
        let plan = try PlanLoader.load(text: PlanTestSupport.defaultFlow + """
            scenarios:
              a:
                executor: ramping-vus
                stages:
                  - {duration: 10s, target: 10, progression: easeInQuad}
                  - {duration: 10s, target: 20, progression: steps(4)}
                  - {duration: 10s, target: 5, progression: instant}
                  - {duration: 10s, target: 0, progression: "r = 1 - cos(pi/2 * t)"}
                  - {duration: 10s, target: 3}
                  - {duration: 10s, target: 4, progression: linear}
            """, fileName: "plan.yaml")
        guard case .rampingVUs(let config) = plan.scenarios.first?.executor else {
            Issue.record("expected ramping-vus")
            return
        }
        let expression = try ProgressionExpression(parsing: "r = 1 - cos(pi/2 * t)")
        #expect(config.stages.map(\.progression) == [
            .easing(.easeInQuad), .steps(4), .instant, .expression(expression), .linear, .linear,
        ])
        #expect(config.stages.map(\.progression.description) == [
            "easeInQuad", "steps(4)", "instant", "r = 1 - cos(pi/2 * t)", "linear", "linear",
        ])
    }

    @Test func syntaxErrorsPointInsideTheExpression() {
        #expect(errors("""
            scenarios:
              a:
                executor: ramping-vus
                stages:
                  - {duration: 10s, target: 10, progression: "r = t^"}
                  - duration: 10s
                    target: 0
                    progression: r = (t + 1
              b:
                executor: ramping-arrival-rate
                preAllocatedVUs: 1
                stages:
                  - duration: 10s
                    target: 5
                    progression: r = t + sinh(t)
                  - duration: 1s
                    target: 5
                    progression: easeInQuat
                  - {duration: 1s, target: 1, progression: steps(0)}
            """) == [
            "plan.yaml:8:57: error: \"progression\" in stage 1 of \"stages\" in scenario \"a\": invalid progression expression: "
                + "expected a number, t, a function or \"(\" but the expression ends",
            "plan.yaml:11:32: error: \"progression\" in stage 2 of \"stages\" in scenario \"a\": invalid progression expression: "
                + "expected \")\"",
            "plan.yaml:18:30: error: \"progression\" in stage 1 of \"stages\" in scenario \"b\": invalid progression expression: "
                + "unknown name \"sinh\"; did you mean \"sin\"? (known: t, pi, e, sqrt, exp, log, sin, cos, abs, min, max, pow)",
            "plan.yaml:21:22: error: \"progression\" in stage 2 of \"stages\" in scenario \"b\": unknown progression \"easeInQuat\": "
                + "expected linear, instant, an easing such as easeInQuad, steps(n), or an expression \"r = <expression of t>\"; "
                + "did you mean \"easeInQuad\"?",
            "plan.yaml:22:48: error: \"progression\" in stage 3 of \"stages\" in scenario \"b\": invalid progression \"steps(0)\": "
                + "steps(n) needs a whole number of steps from 1 to 10000",
        ])
    }

    @Test func curvesThatDoNotChainOrBreakAreRejected() {
        #expect(errors("""
            scenarios:
              a:
                executor: ramping-vus
                stages:
                  - duration: 5s
                    target: 5
                    progression: r = t^2 + 0.5
              b:
                executor: ramping-arrival-rate
                preAllocatedVUs: 1
                stages:
                  - duration: 10s
                    target: 5
                    progression: r = 1/(t - 0.5)
              c:
                executor: ramping-vus
                startVUs: 10
                stages:
                  - duration: 10s
                    target: 0
                    progression: r = t + 2*t*(1 - t)
              d:
                executor: ramping-arrival-rate
                preAllocatedVUs: 1
                stages:
                  - {duration: 10s, target: 5, progression: "r = t - 0.5*sin(pi*t)"}
            """) == [
            "plan.yaml:10:22: error: \"progression\" in stage 1 of \"stages\" in scenario \"a\": "
                + "progression expression gives r(1) = 1.5, expected 1 so that the stage ends at its target",
            "plan.yaml:17:22: error: \"progression\" in stage 1 of \"stages\" in scenario \"b\": "
                + "progression expression is not finite at t = 0.5 (found inf); it must be a finite number for every t from 0 to 1",
            "plan.yaml:24:22: error: \"progression\" in stage 1 of \"stages\" in scenario \"c\" gives -0.01 VUs at t = 0.501 "
                + "(from 10 to 0); the curve must never go below 0",
            "plan.yaml:29:49: error: \"progression\" in stage 1 of \"stages\" in scenario \"d\" gives -0.003 iterations per time unit "
                + "at t = 0.001 (from 0 to 5); the curve must never go below 0",
        ])
    }

    /// The top-level `stages` shortcut checks every stage against the previous target, the
    /// first against `vus` (the start VUs).
    @Test func shortcutStagesAreCheckedToo() {
        #expect(errors("""
            stages:
              - {duration: 1s, target: 10}
              - {duration: 1s, target: 0, progression: "r = 2*t - t^2 + 0.5*sin(pi*t)"}
            """) == [
            "plan.yaml:6:44: error: \"progression\" in stage 2 of \"stages\" gives -0.005 VUs at t = 0.339 "
                + "(from 10 to 0); the curve must never go below 0",
        ])
    }

    @Test func shortcutFirstStageStartsFromVUs() {
        #expect(errors("""
            vus: 10
            stages:
              - {duration: 10s, target: 0, progression: "r = 2*t - t*t*t*3 + 2*t*t"}
            """).contains { $0.contains("stage 1 of \"stages\" gives -0.015 VUs at t = 0.435 (from 10 to 0)") })
    }
}
