import Foundation
import Testing
@testable import LoadTreeCore

/// The per-zone block of the summary: each zone's figures read from the merged series equal
/// those of the zone's samples recorded on their own, and a run without zones has no block.
@Suite struct ZoneSummaryTests {
    /// Per zone: request latencies (ms), how many of them failed, iterations.
    static let zones: [(zone: String, latencies: [Double], failures: Int, iterations: Int)] = [
        ("eu-west", (1...20).map { Double($0) * 10 }, 2, 10),
        ("us-east", [5, 7, 9, 11], 0, 4),
        ("on-prem", (1...40).map { Double($0) * 2.5 }, 10, 40),
    ]

    /// What agents of the given zones would have sent, merged as the root merges it; `zone`
    /// nil records untagged samples (a local run).
    static func recorded(_ zones: [(zone: String?, latencies: [Double], failures: Int, iterations: Int)]) throws -> IntervalAggregate {
        var merged = IntervalAggregate(start: 0)
        for entry in zones {
            var agent = IntervalAggregate(start: 0)
            var tags = TagSet(["scenario": "browse", "name": "GET /"])
            if let zone = entry.zone { tags = tags.setting("zone", to: zone) }
            for (index, ms) in entry.latencies.enumerated() {
                let failed = index < entry.failures
                let request = tags.setting("status", to: failed ? "500" : "200")
                try agent.add(ms, to: SeriesKey("http_req_duration", tags: request), type: .trend, kind: .time, at: 1)
                try agent.add(1, to: SeriesKey("http_reqs", tags: request), type: .counter, at: 1)
                try agent.add(failed ? 1 : 0, to: SeriesKey("http_req_failed", tags: request), type: .rate, at: 1)
            }
            for _ in 0..<entry.iterations { try agent.add(1, to: SeriesKey("iterations", tags: tags), type: .counter, at: 1) }
            try merged.merge(agent)
        }
        return merged
    }

    static func report(_ aggregate: IntervalAggregate) -> SummaryReport {
        SummaryReport(view: MetricsView(aggregate), verdicts: [], testDuration: .seconds(4))
    }

    /// The p(95) of `latencies` recorded alone, in one trend.
    static func p95(_ latencies: [Double]) -> Double? {
        var sink = TrendSink(kind: .time)
        for ms in latencies { sink.add(ms) }
        return sink.percentile(95)
    }

    @Test func eachZoneHasItsOwnExactFigures() throws {
        let report = Self.report(try Self.recorded(Self.zones.map { ($0.zone, $0.latencies, $0.failures, $0.iterations) }))
        let figures = report.zones
        #expect(figures.map(\.zone) == ["eu-west", "on-prem", "us-east"])
        for expected in Self.zones {
            let zone = try #require(figures.first { $0.zone == expected.zone })
            #expect(zone.requests == Double(expected.latencies.count))
            #expect(zone.requestRate == Double(expected.latencies.count) / 4)
            #expect(zone.failedRequests == UInt64(expected.failures))
            #expect(zone.failedOutOf == UInt64(expected.latencies.count))
            #expect(zone.failedRate == Double(expected.failures) / Double(expected.latencies.count))
            #expect(zone.durationP95 == Self.p95(expected.latencies))
            #expect(zone.iterations == Double(expected.iterations))
            #expect(zone.iterationRate == Double(expected.iterations) / 4)
        }
        // eu-west: h = 0.95 · 19 = 18.05 between 190 ms (slot middle 190.016) and the max 200.
        let euWest = try #require(figures.first { $0.zone == "eu-west" }?.durationP95)
        #expect(abs(euWest - 190.5152) < 1e-9)
    }

    @Test func theTextHasAZonesBlock() throws {
        let text = Self.report(try Self.recorded(Self.zones.map { ($0.zone, $0.latencies, $0.failures, $0.iterations) })).text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "  █ ZONES"))
        let block = Array(lines[start...])
        let euWest = try #require(block.firstIndex(of: "    eu-west"))
        #expect(block[euWest + 1].hasPrefix("      http_reqs..."))
        #expect(block[euWest + 1].hasSuffix(": 20      5.00/s"))
        #expect(block[euWest + 2].hasSuffix(": 10.00%  2 out of 20"))
        #expect(block[euWest + 3].hasSuffix(": p(95)=190.52ms"))
        #expect(block[euWest + 4].hasSuffix(": 10      2.50/s"))
        #expect(block.contains("    on-prem") && block.contains("    us-east"))
    }

    @Test func theExportHasAZonesObject() throws {
        let report = Self.report(try Self.recorded(Self.zones.map { ($0.zone, $0.latencies, $0.failures, $0.iterations) }))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.export.serialized().utf8)) as? [String: Any])
        let zones = try #require(json["zones"] as? [String: [String: [String: Double]]])
        #expect(Set(zones.keys) == ["eu-west", "us-east", "on-prem"])
        let onPrem = try #require(zones["on-prem"])
        #expect(onPrem["http_reqs"] == ["count": 40, "rate": 10])
        #expect(onPrem["http_req_failed"] == ["value": 0.25, "passes": 10, "fails": 30])
        #expect(onPrem["http_req_duration"]?["p(95)"] == Self.p95(Self.zones[2].latencies))
        #expect(onPrem["iterations"] == ["count": 40, "rate": 10])
        // The whole-run figures are still those of every zone together.
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(metrics["http_reqs"]?["count"] as? Double == 64)
    }

    @Test(arguments: [[String?](), [nil], ["eu-west"], ["eu-west", "eu-west"]])
    func noZoneBlockWithoutTwoZones(zones: [String?]) throws {
        let report = Self.report(try Self.recorded(zones.map { ($0, [10, 20, 30], 1, 3) }))
        #expect(report.zones.isEmpty)
        #expect(!report.text.contains("ZONES"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.export.serialized().utf8)) as? [String: Any])
        #expect(json["zones"] == nil)
    }
}
