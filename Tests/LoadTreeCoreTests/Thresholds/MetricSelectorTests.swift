import Testing
import LoadTreeCore

@Suite struct MetricSelectorTests {
    @Test(arguments: [
        ("http_req_duration", "http_req_duration", [String: String]()),
        ("http_req_duration{scenario:browse}", "http_req_duration", ["scenario": "browse"]),
        ("http_reqs{ \"status\" : '200' , method:GET}", "http_reqs", ["status": "200", "method": "GET"]),
        ("checks{check:'status is 200'}", "checks", ["check": "status is 200"]),
        ("http_req_duration{url:http://x:8080/a}", "http_req_duration", ["url": "http://x:8080/a"]),
    ])
    func parses(text: String, name: String, tags: [String: String]) throws {
        let selector = try MetricSelector.parse(text)
        #expect(selector.name == name)
        #expect(selector.tags == tags)
    }

    @Test(arguments: [
        ("http_reqs{status}", ThresholdError.malformedTag(selector: "http_reqs{status}", tag: "status")),
        ("http_reqs{status:}", .malformedTag(selector: "http_reqs{status:}", tag: "status:")),
        ("http_reqs{}", .malformedTag(selector: "http_reqs{}", tag: "")),
        ("http_reqs{a:b", .malformedSelector("http_reqs{a:b")),
        ("http_reqs}a:b{", .malformedSelector("http_reqs}a:b{")),
        ("http_reqs{a:b}x", .malformedSelector("http_reqs{a:b}x")),
        ("1abc", .invalidMetricName("1abc")),
        ("a", .invalidMetricName("a")),
        ("bad-name{a:b}", .invalidMetricName("bad-name")),
    ])
    func rejects(text: String, error: ThresholdError) {
        #expect(throws: error) { try MetricSelector.parse(text) }
    }

    @Test func matchesWhenSampleTagsContainEveryPair() throws {
        let selector = try MetricSelector.parse("http_reqs{status:200,method:GET}")
        #expect(selector.matches(["status": "200", "method": "GET", "url": "/"]))
        #expect(!selector.matches(["status": "200"]))
        #expect(!selector.matches(["status": "500", "method": "GET"]))
        #expect(try MetricSelector.parse("http_reqs").matches([:]))
        #expect(selector.description == "http_reqs{method:GET,status:200}")
    }
}
