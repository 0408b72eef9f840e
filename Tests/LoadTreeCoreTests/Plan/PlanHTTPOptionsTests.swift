import Testing
import LoadTreeCore

/// The `http:` option of scenarios and requests: values, merging, and errors with positions.
@Suite struct PlanHTTPOptionsTests {
    @Test func scenarioAndRequestOptionsDecodeAndMerge() throws {
        let plan = try PlanLoader.load(text: """
            flows:
              default:
                - request: {url: "http://127.0.0.1:8080/", http: {version: "1.1"}}
                - request: {url: "http://127.0.0.1:8080/"}
            scenarios:
              a: {executor: shared-iterations, http: {version: "2", connections: 8}}
              b: {executor: shared-iterations, http: {version: auto}}
              c: {executor: shared-iterations}
            """, fileName: "plan.yaml")
        let byName = Dictionary(uniqueKeysWithValues: plan.scenarios.map { ($0.name, $0.http) })
        #expect(byName["a"] == HTTPOptions(version: .http2, connections: 8))
        #expect(byName["b"] == HTTPOptions(version: .auto))
        #expect(byName["c"] == HTTPOptions())
        let steps = try #require(plan.flow(named: "default")).steps
        guard case .request(let first) = steps[0], case .request(let second) = steps[1] else {
            Issue.record("expected two requests")
            return
        }
        #expect(first.http == HTTPOptions(version: .http1_1))
        #expect(second.http == nil)
        // A request's version wins; the scenario's pool setting stays.
        #expect(byName["a"]?.overridden(by: first.http) == HTTPOptions(version: .http1_1, connections: 8))
        #expect(byName["a"]?.overridden(by: second.http) == HTTPOptions(version: .http2, connections: 8))
    }

    @Test func versionWrittenAsANumberIsAccepted() throws {
        let plan = try PlanLoader.load(text: PlanTestSupport.defaultFlow + """
            scenarios:
              a: {executor: shared-iterations, http: {version: 2}}
              b: {executor: shared-iterations, http: {version: 1.1}}
            """, fileName: "plan.yaml")
        #expect(plan.scenarios.map(\.http.version) == [.http2, .http1_1])
    }

    @Test func badOptionsAreReportedWhereTheyAre() {
        let errors = PlanTestSupport.errors(PlanTestSupport.defaultFlow + """
            scenarios:
              a: {executor: shared-iterations, http: {version: "h2"}}
              b: {executor: shared-iterations, http: {connections: 0}}
              c: {executor: shared-iterations, http: {versoin: "2"}}
              d: {executor: shared-iterations, http: "2"}
            """)
        #expect(errors.count == 4, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("plan.yaml:5:52: error: unknown value \"h2\" for \"version\"") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("plan.yaml:6:56:") && $0.contains("must be greater than 0") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("plan.yaml:7:43:") && $0.contains("did you mean \"version\"?") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("plan.yaml:8:42:") && $0.contains("expected a mapping for \"http\"") }, "\(errors)")
    }
}
