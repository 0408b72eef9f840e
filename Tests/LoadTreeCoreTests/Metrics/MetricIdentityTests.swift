import Testing
import LoadTreeCore

@Suite struct MetricIdentityTests {
    @Test(arguments: ["http_reqs", "_x", "a1", "My_Trend_2", "__", String(repeating: "a", count: 129)])
    func acceptsValidNames(text: String) throws {
        #expect(try MetricName(text).rawValue == text)
    }

    @Test func rejectsInvalidNamesWithTheRuleBroken() {
        #expect(throws: MetricNameError.badLength("a", 1)) { try MetricName("a") }
        #expect(throws: MetricNameError.badLength("", 0)) { try MetricName("") }
        let long = String(repeating: "a", count: 130)
        #expect(throws: MetricNameError.badLength(long, 130)) { try MetricName(long) }
        #expect(throws: MetricNameError.badFirstCharacter("1abc")) { try MetricName("1abc") }
        #expect(throws: MetricNameError.badCharacter("http-reqs", offset: 4)) { try MetricName("http-reqs") }
        #expect(throws: MetricNameError.badCharacter("my.trend", offset: 2)) { try MetricName("my.trend") }
        #expect(throws: MetricNameError.badCharacter("caf\u{e9}", offset: 3)) { try MetricName("caf\u{e9}") }
        #expect(throws: MetricNameError.badCharacter("ab ", offset: 2)) { try MetricName("ab ") }
        #expect(MetricNameError.badFirstCharacter("1abc").description.contains("must start with a letter"))
    }

    @Test func tagSetIsSortedAndOrderIndependent() {
        let a = TagSet(["status": "200", "method": "GET", "name": "home"])
        let b = TagSet([Tag("name", "home"), Tag("status", "200"), Tag("method", "GET")])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.description == "{method:GET,name:home,status:200}")
        #expect(TagSet.empty.description == "{}")
        #expect(a["status"] == "200")
        #expect(a["missing"] == nil)
        #expect(TagSet([Tag("k", "1"), Tag("k", "2")]) == ["k": "2"])
        var repeated: String?
        #expect(TagSet(distinctKeys: [Tag("status", "200"), Tag("name", "home"), Tag("method", "GET")], repeatedKey: &repeated) == a)
        #expect(repeated == nil)
        #expect(TagSet(distinctKeys: [Tag("b", "1"), Tag("k", "1"), Tag("a", "1"), Tag("k", "1")], repeatedKey: &repeated) == nil)
        #expect(repeated == "k")
    }

    @Test func containsMatchesSubMetricSelectors() {
        let sample: TagSet = ["status": "200", "method": "GET", "scenario": "default"]
        #expect(sample.contains(.empty))
        #expect(sample.contains(["status": "200"]))
        #expect(sample.contains(["method": "GET", "status": "200"]))
        #expect(sample.contains(sample))
        #expect(!sample.contains(["status": "404"]))
        #expect(!sample.contains(["status": "200", "zone": "eu"]))
        #expect(!TagSet.empty.contains(["a": "b"]))
        #expect(!TagSet(["b": "1"]).contains(["a": "1", "b": "1"]))
    }

    @Test func settingReplacesOrInsertsInOrder() {
        let tags: TagSet = ["b": "1", "d": "2"]
        #expect(tags.setting("c", to: "x").description == "{b:1,c:x,d:2}")
        #expect(tags.setting("a", to: "x").description == "{a:x,b:1,d:2}")
        #expect(tags.setting("e", to: "x").description == "{b:1,d:2,e:x}")
        #expect(tags.setting("b", to: "9").description == "{b:9,d:2}")
    }

    @Test func seriesKeyDescription() throws {
        #expect(try SeriesKey("http_reqs").description == "http_reqs")
        let key = try SeriesKey("http_req_duration", tags: ["expected_response": "true"])
        #expect(key.description == "http_req_duration{expected_response:true}")
        #expect(try SeriesKey("aa") < SeriesKey("ab"))
        #expect(try SeriesKey("aa") < SeriesKey("aa", tags: ["k": "v"]))
        #expect(throws: MetricNameError.self) { try SeriesKey("0bad") }
    }
}
