import LoadTreeCore
import Testing
@testable import LoadTreeEngine

@Suite struct FlowPiecesTests {
    private let scope: VariableScope = {
        var scope = VariableScope(vars: ["base": "http://127.0.0.1:8080", "user": "ann"], environment: ["REGION": "eu"],
                                  setup: ["token": "t0k"], vu: 7)
        scope.iteration = 3
        scope.captures = ["user": "bob", "id": "42"]
        scope.rows = ["users": ["name": "carol"]]
        return scope
    }()

    @Test func templatesFillEveryKindOfReference() {
        let template = Template("${base}/items/${id}?u=${user}&r=${env.REGION}&t=${setup.token}&n=${data.users.name}&vu=${__VU}&it=${__ITER}")
        #expect(template.render(scope) == "http://127.0.0.1:8080/items/42?u=bob&r=eu&t=t0k&n=carol&vu=7&it=3")
        #expect(Template("plain").isConstant)
        #expect(Template("${missing}!").render(scope) == "!")
    }

    @Test func jsonBodiesStayValidWhateverTheValues() throws {
        var quoted = scope
        quoted.captures["id"] = "say \"hi\""
        let step = RequestStep(method: "POST", url: "${base}/x", body: .json(.object([("note", .string("${id}")), ("n", .int(1))])))
        let body = try #require(CompiledRequest(step, index: 0).renderBody(quoted))
        #expect(String(decoding: body.bytes, as: UTF8.self) == #"{"note":"say \"hi\"","n":1}"#)
        #expect(body.contentType == "application/json")
    }

    @Test func queryIsPercentEncoded() {
        let step = RequestStep(url: "${base}/search", query: [(name: "q", value: "a b&c"), (name: "u", value: "${user}")])
        #expect(CompiledRequest(step, index: 0).renderURL(scope) == "http://127.0.0.1:8080/search?q=a%20b%26c&u=bob")
    }

    private func response(_ body: String, status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")]) -> ResponseView {
        ResponseView(status: status, headers: headers, body: Array(body.utf8), duration: .milliseconds(120))
    }

    @Test func checksJudgeStatusBodyJSONHeadersAndTime() throws {
        var r = response(#"{"items":[{"id":1,"name":"a"}],"count":1.0,"ok":true}"#)
        func check(_ condition: CheckCondition) -> Bool { CompiledCheck(Check(name: "c", condition: condition)).passes(&r) }
        #expect(check(.status([200, 201])))
        #expect(!check(.status([404])))
        #expect(check(.bodyContains("\"name\":\"a\"")))
        #expect(check(.bodyMatches(#""id":\d+"#)))
        #expect(check(.json(path: try JSONPath(parsing: "$.items[0].id"), expectation: .equals(.int(1)))))
        #expect(check(.json(path: try JSONPath(parsing: "$.count"), expectation: .equals(.int(1)))))
        #expect(check(.json(path: try JSONPath(parsing: "$.ok"), expectation: .equals(.bool(true)))))
        #expect(check(.json(path: try JSONPath(parsing: "$.items[3]"), expectation: .exists(false))))
        #expect(!check(.json(path: try JSONPath(parsing: "$.items[0].name"), expectation: .equals(.string("b")))))
        #expect(check(.header(name: "content-type", expectation: .matches("^application/json"))))
        #expect(!check(.header(name: "X-None", expectation: .equals(""))))
        #expect(check(.duration(.less, .milliseconds(500))))
        #expect(!check(.duration(.less, .milliseconds(100))))
    }

    @Test func capturesReadJSONHeadersAndRegexGroups() throws {
        var r = response(#"{"token":"abc","user":{"id":9}} session=xyz;"#.replacingOccurrences(of: " session=xyz;", with: ""),
                         headers: [("X-Request-Id", "r-1"), ("Set-Cookie", "session=xyz; Path=/")])
        #expect(CompiledCapture(Capture(variable: "t", source: .json(try JSONPath(parsing: "$.token")))).value(from: &r) == "abc")
        #expect(CompiledCapture(Capture(variable: "u", source: .json(try JSONPath(parsing: "$.user")))).value(from: &r) == #"{"id":9}"#)
        #expect(CompiledCapture(Capture(variable: "h", source: .header("x-request-id"))).value(from: &r) == "r-1")
        #expect(CompiledCapture(Capture(variable: "g", source: .regex(#""token":"(\w+)""#))).value(from: &r) == "abc")
        #expect(CompiledCapture(Capture(variable: "n", source: .regex("nothing(\\d)"))).value(from: &r) == nil)
    }

    @Test func notJSONIsNoValueNotACrash() throws {
        var r = response("<html>")
        #expect(r.value(at: try JSONPath(parsing: "$.a")) == nil)
    }
}
