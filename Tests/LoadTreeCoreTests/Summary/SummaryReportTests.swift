import Foundation
import Testing
@testable import LoadTreeCore

@Suite struct SummaryReportTests {
    /// Three requests of 10, 15 and 20 ms, two checks (one failing once), a gauge and a counter.
    static func recorded() throws -> IntervalAggregate {
        var aggregate = IntervalAggregate(start: 0)
        let get = TagSet(["scenario": "s", "expected_response": "true"])
        for ms in [10.0, 15, 20] {
            try aggregate.add(ms, to: SeriesKey("http_req_duration", tags: get), type: .trend, kind: .time, at: 1)
            try aggregate.add(1, to: SeriesKey("http_reqs", tags: get), type: .counter, at: 1)
        }
        try aggregate.add(1, to: SeriesKey("vus"), type: .gauge, at: 1)
        let ok = TagSet(["check": "status is 200", "group": ""])
        let body = TagSet(["check": "body ok", "group": "::cart"])
        for _ in 0..<3 { try aggregate.add(1, to: SeriesKey("checks", tags: ok), type: .rate, at: 1) }
        try aggregate.add(1, to: SeriesKey("checks", tags: body), type: .rate, at: 1)
        try aggregate.add(0, to: SeriesKey("checks", tags: body), type: .rate, at: 1)
        return aggregate
    }

    static func report() throws -> SummaryReport {
        let view = MetricsView(try recorded())
        let thresholds = [
            MetricThresholds(selector: MetricSelector(name: "http_req_duration"), thresholds: [
                try Threshold(parsing: "p(95)<19"), try Threshold(parsing: "p(90)<=19.1"),
            ]),
            MetricThresholds(selector: try MetricSelector.parse("http_req_duration{scenario:s}"), thresholds: [try Threshold(parsing: "max<100")]),
            MetricThresholds(selector: MetricSelector(name: "http_reqs"), thresholds: [try Threshold(parsing: "rate<100")]),
        ]
        let verdicts = ThresholdEvaluator(thresholds: thresholds).evaluate(view, testDuration: .seconds(1), final: true)
        return SummaryReport(view: view, verdicts: verdicts, testDuration: .seconds(1))
    }

    @Test func exportHasTheReferenceShapeAndFailedMeansTrue() throws {
        let report = try Self.report()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.export.serialized().utf8)) as? [String: Any])
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        let duration = try #require(metrics["http_req_duration"])
        #expect(abs((duration["med"] as? Double ?? 0) - 15) < 0.01)
        #expect(duration["min"] as? Double == 10)
        #expect(duration["max"] as? Double == 20)
        let p95 = try #require(duration["p(95)"] as? Double)
        #expect(abs(p95 - 19.5) < 0.01)
        #expect(duration["thresholds"] as? [String: Bool] == ["p(95)<19": true, "p(90)<=19.1": false])
        #expect(metrics["http_req_duration{scenario:s}"]?["thresholds"] as? [String: Bool] == ["max<100": false])
        #expect(metrics["http_reqs"]?["count"] as? Double == 3)
        #expect(metrics["http_req_duration{expected_response:true}"]?["max"] as? Double == 20)
        #expect(metrics["http_reqs"]?["rate"] as? Double == 3)
        #expect(metrics["checks"]?["value"] as? Double == 0.8)
        #expect(metrics["checks"]?["passes"] as? Double == 4)
        #expect(metrics["vus"]?["value"] as? Double == 1)
        #expect(report.thresholdsFailed)
    }

    @Test func exportedHistogramDecodesToTheSameSamples() throws {
        let report = try Self.report()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.export.serialized().utf8)) as? [String: Any])
        let hdr = try #require((json["metrics"] as? [String: [String: Any]])?["http_req_duration"]?["hdr"] as? String)
        let histogram = try HDRCodec.decodeBase64(hdr)
        #expect(histogram.totalCount == 3)
        #expect(histogram.valueAtPercentile(50) / 1000 == 15)
    }

    @Test func groupsAndChecksWithMD5Ids() throws {
        let report = try Self.report()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.export.serialized().utf8)) as? [String: Any])
        let root = try #require(json["root_group"] as? [String: Any])
        #expect(root["id"] as? String == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(root["path"] as? String == "")
        let check = try #require((root["checks"] as? [String: [String: Any]])?["status is 200"])
        #expect(check["path"] as? String == "::status is 200")
        #expect(check["passes"] as? Int == 3)
        let cart = try #require((root["groups"] as? [String: [String: Any]])?["cart"])
        #expect(cart["path"] as? String == "::cart")
        let body = try #require((cart["checks"] as? [String: [String: Any]])?["body ok"])
        #expect(body["fails"] as? Int == 1)
        #expect(body["path"] as? String == "::cart::body ok")
    }

    @Test func textHasTheReferenceSections() throws {
        let text = try Self.report().text
        #expect(text.contains("█ THRESHOLDS"))
        #expect(text.contains("✗ 'p(95)<19' p(95)=19.50ms"))
        #expect(text.contains("✓ 'rate<100' rate=3"))
        #expect(text.contains("█ TOTAL RESULTS"))
        #expect(text.contains("checks_succeeded"))
        #expect(text.contains("80.00%  4 out of 5"))
        #expect(text.contains("↳  50% — ✓ 1 / ✗ 1"))
        #expect(text.contains("    HTTP"))
        #expect(text.contains("avg=15.00ms min=10.00ms med=15.00ms max=20.00ms"))
        #expect(text.contains("{ scenario:s }"))
        #expect(text.contains("{ expected_response:true }"))
        #expect(text.contains("    EXECUTION"))
    }

    /// Full mode: after the whole test, a section per group with only that group's checks and
    /// samples, then one per scenario; compact mode has neither.
    @Test func fullModeShowsEveryGroupAndScenario() throws {
        var aggregate = try Self.recorded()
        let cart = TagSet(["scenario": "s", "group": "::cart", "expected_response": "true"])
        let other = TagSet(["scenario": "t", "group": "", "expected_response": "true"])
        for ms in [40.0, 60] { try aggregate.add(ms, to: SeriesKey("http_req_duration", tags: cart), type: .trend, kind: .time, at: 1) }
        try aggregate.add(90, to: SeriesKey("http_req_duration", tags: other), type: .trend, kind: .time, at: 1)
        let view = MetricsView(aggregate)
        let compact = SummaryReport(view: view, verdicts: [], testDuration: .seconds(1)).text
        #expect(!compact.contains("█ GROUP"))
        #expect(!compact.contains("█ SCENARIO"))

        let full = SummaryReport(view: view, verdicts: [], testDuration: .seconds(1), options: SummaryOptions(mode: .full)).text
        let sections = full.components(separatedBy: "  █ ")
        let group = try #require(sections.first { $0.hasPrefix("GROUP: cart\n") })
        // Only the group's own samples and checks: its two requests, its one check.
        #expect(group.contains("avg=50.00ms min=40.00ms"))
        #expect(group.contains("✗ body ok"))
        #expect(!group.contains("status is 200"))
        #expect(!group.contains("█ cart"))
        let s = try #require(sections.first { $0.hasPrefix("SCENARIO: s\n") })
        #expect(s.contains("max=60.00ms"))
        let t = try #require(sections.first { $0.hasPrefix("SCENARIO: t\n") })
        #expect(t.contains("avg=90.00ms min=90.00ms"))
        // Sections in the reference's order: the whole test, groups, then scenarios.
        let order = ["TOTAL RESULTS", "GROUP: cart", "SCENARIO: s", "SCENARIO: t"].compactMap { full.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted())
    }

    @Test func thresholdsSkipEmptyMetricsDuringTheRunButNotAtTheEnd() throws {
        let view = MetricsView(IntervalAggregate(start: 0))
        let evaluator = ThresholdEvaluator(thresholds: [
            MetricThresholds(selector: MetricSelector(name: "http_req_failed"), thresholds: [try Threshold(parsing: "rate<0.01", abortOnFail: true)]),
        ])
        #expect(evaluator.evaluate(view, testDuration: .seconds(5), final: false).isEmpty)
        let final = evaluator.evaluate(view, testDuration: .seconds(5), final: true)
        #expect(final.count == 1 && final[0].outcome.passed)
    }

    @Test func abortOnFailRespectsTheDelay() throws {
        var aggregate = IntervalAggregate(start: 0)
        try aggregate.add(1, to: SeriesKey("http_req_failed"), type: .rate, at: 1)
        let evaluator = ThresholdEvaluator(thresholds: [
            MetricThresholds(selector: MetricSelector(name: "http_req_failed"), thresholds: [
                try Threshold(parsing: "rate<0.01", abortOnFail: true, delayAbortEval: .seconds(10)),
            ]),
        ])
        let verdicts = evaluator.evaluate(MetricsView(aggregate), testDuration: .seconds(5), final: false)
        #expect(evaluator.abortingVerdict(verdicts, elapsed: .seconds(5)) == nil)
        #expect(evaluator.abortingVerdict(verdicts, elapsed: .seconds(11)) != nil)
    }
}
