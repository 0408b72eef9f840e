import Foundation
import LoadTreeCore
import LoadTreeEngine
import Testing

/// `--out json` lines: the reference's shape, every sample once, a metric declared before its
/// first point, and the file complete once closed (blocks are written from a queue).
@Suite struct JSONLinesOutputTests {
    @Test func everySampleIsOneValidLineInTheReferenceShape() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = RunClock()
        let output = try JSONLinesOutput(path: path, clock: clock)
        let duration = try SeriesKey("http_req_duration", tags: TagSet(["name": "a \"quoted\" name", "scenario": "s"]))
        let requests = try SeriesKey("http_reqs", tags: TagSet(["scenario": "s"]))
        // Enough lines for several blocks; numbered and unnumbered samples, across seconds.
        let rounds = 20_000
        for i in 0..<rounds {
            output.write([
                MetricSample(Double(i) / 8, duration, type: .trend, kind: .time, seriesID: 0),
                MetricSample(1, requests, type: .counter),
            ], at: Int64(i) * 300_000)
        }
        output.close()

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 * rounds + 2)
        var declared: Set<String> = []
        var points: [String: Int] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let metric = try #require(object["metric"] as? String)
            let data = try #require(object["data"] as? [String: Any])
            switch object["type"] as? String {
            case "Metric":
                declared.insert(metric)
                #expect(data["name"] as? String == metric)
            case "Point":
                #expect(declared.contains(metric), "a point of \(metric) before its declaration")
                points[metric, default: 0] += 1
                let time = try #require(data["time"] as? String)
                #expect(time.count == 27 && time.hasSuffix("Z") && time.contains("T"), "\(time)")
                let tags = try #require(data["tags"] as? [String: String])
                #expect(tags["scenario"] == "s")
                if metric == "http_req_duration" { #expect(tags["name"] == "a \"quoted\" name") }
            default:
                Issue.record("unexpected line \(line)")
            }
        }
        #expect(points == ["http_req_duration": rounds, "http_reqs": rounds])
        // Values as written, in order.
        let values = lines.compactMap { line -> Double? in
            guard line.contains(#""metric":"http_req_duration""#), line.contains("Point") else { return nil }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["data"] as? [String: Any])?["value"] as? Double
        }
        #expect(values == (0..<rounds).map { Double($0) / 8 })
    }
}
