import Foundation
import Testing
import LoadTreeCore

@Suite struct PlanFlowTests {
    private func load(_ name: String) throws -> Plan {
        try PlanLoader.load(path: PlanTestSupport.fixtures.appendingPathComponent(name).path)
    }

    @Test func fullPlanModel() throws {
        let plan = try load("full.yaml")
        #expect(plan.setup == [.request(RequestStep(
            method: "POST", url: "${base}/login",
            body: .json(.object([("user", .string("demo")), ("remember", .bool(true)), ("tries", .int(3)), ("ratio", .double(0.5)), ("extra", .null)])),
            captures: [Capture(variable: "token", source: .json(try JSONPath(parsing: "$.token")))]))])
        let browse = try #require(plan.flow(named: "browse"))
        #expect(browse.steps.count == 3)
        guard case .request(let request) = browse.steps[0] else { Issue.record("not a request"); return }
        #expect(request.method == "GET")
        #expect(request.headers.map(\.name) == ["Accept", "X-Token"])
        #expect(request.headers.map(\.value) == ["application/json", "${setup.token}"])
        #expect(request.query.map(\.name) == ["page", "q"])
        #expect(request.query.map(\.value) == ["2", "shoes"])
        #expect(request.timeout == .seconds(5))
        #expect(request.name == "items")
        #expect(request.checks == [
            Check(name: "status is 200", condition: .status([200])),
            Check(name: "status is 200 or 304", condition: .status([200, 304])),
            Check(name: "body contains shoes", condition: .bodyContains("shoes")),
            Check(name: #"body matches id":\s*\d+"#, condition: .bodyMatches(#"id":\s*\d+"#)),
            Check(name: "$.items[0].id is 7", condition: .json(path: try JSONPath(parsing: "$.items[0].id"), expectation: .equals(.int(7)))),
            Check(name: "$.next does not exist", condition: .json(path: try JSONPath(parsing: "$.next"), expectation: .exists(false))),
            Check(name: "header Content-Type is application/json", condition: .header(name: "Content-Type", expectation: .equals("application/json"))),
            Check(name: "header Server matches ^nginx", condition: .header(name: "Server", expectation: .matches("^nginx"))),
            Check(name: "duration <=250ms", condition: .duration(.lessOrEqual, .milliseconds(250))),
            Check(name: "fast enough", condition: .duration(.less, .seconds(1))),
        ])
        #expect(request.captures == [
            Capture(variable: "first", source: .json(try JSONPath(parsing: "$.items[0]['id']"))),
            Capture(variable: "where", source: .header("Location")),
            Capture(variable: "csrf", source: .regex(#"csrf=(\w+)"#)),
        ])
        #expect(browse.steps[1] == .sleep(SleepStep(minimum: .seconds(1), maximum: .milliseconds(2500))))
        #expect(browse.steps[2] == .group(GroupStep(name: "detail", steps: [
            .request(RequestStep(method: "DELETE", url: "${base}/items/${first}?vu=${__VU}", body: .text("x=${where}"))),
            .sleep(SleepStep(.milliseconds(100))),
        ])))
    }

    @Test func jsonPlanEqualsYAMLPlan() throws {
        #expect(try load("full.json") == load("full.yaml"))
    }

    /// JSON as editors write it: tab indentation and escaped slashes are valid YAML flow style.
    @Test func jsonWithTabsAndEscapedSlashes() throws {
        let json = "{\n\t\"vus\": 2,\n\t\"duration\": \"10s\",\n\t\"flows\": {\n\t\t\"default\": "
            + "[{\"request\": {\"url\": \"http:\\/\\/127.0.0.1:8080\\/\"}}]\n\t}\n}\n"
        let plan = try PlanLoader.load(text: json, fileName: "plan.json")
        #expect(plan.scenarios == [Scenario(name: "default", executor: .constantVUs(ConstantVUs(vus: 2, duration: .seconds(10))))])
        #expect(plan.flows == [Flow(name: "default", steps: [.request(RequestStep(url: "http://127.0.0.1:8080/"))])])
    }

    @Test func jsonPathComponents() throws {
        #expect(try JSONPath(parsing: "$.items[0]['odd key'].id").components == [.key("items"), .index(0), .key("odd key"), .key("id")])
        #expect(try JSONPath(parsing: "$").components == [])
        #expect(throws: JSONPathError.missingRoot("items")) { try JSONPath(parsing: "items") }
        #expect(throws: JSONPathError.malformed("$.a[")) { try JSONPath(parsing: "$.a[") }
        #expect(throws: JSONPathError.malformed("$..a")) { try JSONPath(parsing: "$..a") }
    }

    @Test func referencesMustResolve() {
        let plan = """
            vars: {base: "http://h", other: "${bsae}"}
            data:
              users: {file: users.csv}
            setup:
              - request:
                  url: ${base}/login
                  headers: {X: "${setup.token}"}
                  capture: {token: {header: X-Token}}
            flows:
              default:
                - request:
                    url: ${base}/a?u=${data.user.name}&t=${setup.tokn}&e=${env.HOME}
                    body: ${later} ${nope} ${
                    capture: {later: {header: X}}
                - request: {url: "${base}/${later}", json: {a: ["${lter}"]}}
                - request: {url: "http://h/${data.users.name}${}${setup}"}
            teardown:
              - request: {url: "${base}/logout?t=${setup.token}&x=${later}"}
            """
        #expect(PlanTestSupport.errors(plan) == [
            "plan.yaml:1:33: error: unknown reference \"${bsae}\" in variable \"other\"; did you mean \"${base}\"?",
            "plan.yaml:7:20: error: \"${setup.token}\" in \"headers\" in request in setup step 1 refers to setup from inside setup; use ${token}",
            "plan.yaml:12:14: error: unknown reference \"${data.user.name}\" in \"url\" in request in flow \"default\" step 1; did you mean \"${data.users.name}\"?",
            "plan.yaml:12:14: error: unknown reference \"${setup.tokn}\" in \"url\" in request in flow \"default\" step 1; did you mean \"${setup.token}\"?",
            "plan.yaml:13:15: error: unknown reference \"${later}\" in \"body\" in request in flow \"default\" step 1; define it under \"vars\" or capture it in an earlier step",
            "plan.yaml:13:15: error: unknown reference \"${nope}\" in \"body\" in request in flow \"default\" step 1; define it under \"vars\" or capture it in an earlier step",
            "plan.yaml:13:15: error: unclosed reference in \"body\" in request in flow \"default\" step 1: \"${\" needs a closing \"}\"",
            "plan.yaml:15:53: error: unknown reference \"${lter}\" in \"json\" in request in flow \"default\" step 2; did you mean \"${later}\"?",
            "plan.yaml:16:22: error: empty or malformed reference \"${}\" in \"url\" in request in flow \"default\" step 3; write ${name}, ${env.NAME}, ${setup.NAME} or ${data.SOURCE.COLUMN}",
            "plan.yaml:16:22: error: malformed reference \"${setup}\" in \"url\" in request in flow \"default\" step 3; write ${env.NAME}, ${setup.NAME} or ${data.SOURCE.COLUMN}",
            "plan.yaml:18:20: error: unknown reference \"${later}\" in \"url\" in request in teardown step 1; define it under \"vars\" or capture it in an earlier step",
        ])
    }

    @Test func dataColumnsAreCheckedWhenTheFileIsKnown() throws {
        let plan = """
            data:
              users: {file: users.csv}
              missing: {file: nowhere.csv}
            flows:
              default:
                - request: {url: "http://h/${data.users.username}/${data.users.pasword}"}
            """
        let root = PlanTestSupport.packageRoot.appendingPathComponent("examples").path
        var lines: [String] = []
        do {
            _ = try PlanLoader.load(text: plan, fileName: "plan.yaml", baseDirectory: root)
        } catch {
            lines = error.errors.map(\.description)
        }
        #expect(lines == [
            "plan.yaml:3:19: error: data source \"missing\": cannot read file \"\(root)/nowhere.csv\"",
            "plan.yaml:6:22: error: unknown reference \"${data.users.pasword}\" in \"url\" in request in flow \"default\" step 1; did you mean \"${data.users.password}\"?",
        ])
    }

    @Test func stepErrors() {
        let plan = """
            flows:
              default:
                - reqest: {url: "http://h/"}
                - request: {url: "http://h/"}
                  sleep: 1s
                - sleep: 3s..1s
                - request: {url: "/relative", method: GTE, timeout: 0s}
                - request:
                    url: http://h/
                    checks:
                      - status: 999
                      - {status: 200, body_contains: x}
                      - json: {path: "items", equals: 1}
                      - header: {name: X}
                      - duration: 500ms
                      - body_matches: "(unclosed"
                      - {name: only}
                    capture:
                      bad-name: {header: X}
                      two: {header: X, regex: "a"}
                - group: {name: g}
                - {}
                - sleep: 1
                - sleep: 1s..2
            """
        #expect(PlanTestSupport.errors(plan) == [
            "plan.yaml:3:7: error: unknown key \"reqest\" in flow \"default\" step 1; did you mean \"request\"?",
            "plan.yaml:5:7: error: flow \"default\" step 2 holds both \"request\" and \"sleep\"; write one step per list item",
            "plan.yaml:6:14: error: \"sleep\" in flow \"default\" step 3 goes from 3s down to 1s; write the shorter pause first, such as 1s..3s",
            "plan.yaml:7:22: error: \"url\" in request in flow \"default\" step 4 must be an absolute http:// or https:// URL, found \"/relative\"",
            "plan.yaml:7:43: error: unknown HTTP method \"GTE\" in request in flow \"default\" step 4; did you mean \"GET\"?",
            "plan.yaml:7:57: error: \"timeout\" in request in flow \"default\" step 4 must be longer than 0s",
            "plan.yaml:11:21: error: expected an HTTP status code (100 to 599) or a list of them for \"status\" in check 1 of request in flow \"default\" step 5, found 999",
            "plan.yaml:12:27: error: check 2 of request in flow \"default\" step 5 has both \"status\" and \"body_contains\"; write one condition per check",
            "plan.yaml:13:26: error: invalid JSON path for \"path\" in \"json\" in check 3 of request in flow \"default\" step 5: JSON path \"items\" must start with $, such as $.token or $.items[0].id",
            "plan.yaml:14:13: error: \"header\" in check 4 of request in flow \"default\" step 5 needs \"equals\" or \"matches\"",
            "plan.yaml:15:23: error: expected a comparison such as \"<500ms\" or \">=1s\" for \"duration\" in check 5 of request in flow \"default\" step 5, found \"500ms\"",
            "plan.yaml:16:27: error: invalid regular expression for \"body_matches\" in check 6 of request in flow \"default\" step 5: expected ')'",
            "plan.yaml:17:13: error: check 7 of request in flow \"default\" step 5 needs one of status, body_contains, body_matches, json, header, duration",
            "plan.yaml:19:11: error: invalid capture variable name \"bad-name\": use only letters, digits and \"_\"",
            "plan.yaml:20:28: error: capture \"two\" in request in flow \"default\" step 5 needs exactly one of json, header, regex",
            "plan.yaml:21:7: error: group in flow \"default\" step 6 is missing required key \"steps\"",
            "plan.yaml:22:7: error: flow \"default\" step 7 is empty; a step holds one of request, sleep, group",
            "plan.yaml:23:14: error: \"sleep\" in flow \"default\" step 8 needs a unit, such as 1s or 500ms, found \"1\"",
            "plan.yaml:24:14: error: \"sleep\" in flow \"default\" step 9 needs a unit, such as 1s or 500ms, found \"1s..2\"",
        ])
    }
}
