import Foundation
import LoadTreeCore
import LoadTreeWire
import PropertyBased
import SwiftProtobuf
import Testing
@testable import LoadTreeNode

@Suite struct MetricBatchCodingTests {
    /// Records `samples` (metric index, tag value, value) into an aggregate.
    static func aggregate(_ samples: [(Int, Int, Int)]) -> IntervalAggregate {
        let metrics: [(String, MetricType, ValueKind)] = [
            ("http_reqs", .counter, .default), ("vus", .gauge, .default), ("checks", .rate, .default),
            ("http_req_duration", .trend, .time), ("my_trend", .trend, .default),
        ]
        var aggregate = IntervalAggregate(start: 0)
        for (i, (m, tag, value)) in samples.enumerated() {
            let (name, type, kind) = metrics[m % metrics.count]
            guard let key = try? SeriesKey(name, tags: ["zone": "z\(tag % 3)"]) else { continue }
            // Counters count whole things (requests, bytes): their sums are exact in any order.
            let sample = type == .rate ? Double(value % 2) : type == .counter ? Double(value) : Double(value) / 7
            try? aggregate.add(sample, to: key, type: type, kind: kind, at: Int64(i))
        }
        return aggregate.drain(at: Int64(samples.count))
    }

    static func wireRoundTrip(_ aggregate: IntervalAggregate) throws -> IntervalAggregate {
        let batch = try MetricBatchCoding.encode(aggregate, sender: "agent-1", sequence: 7)
        let bytes: [UInt8] = try batch.serializedBytes()
        return try MetricBatchCoding.decode(try Loadtree_V1_MetricBatch(serializedBytes: bytes))
    }

    @Test func aggregatesSurviveTheWireExactly() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1000).array(of: 0...3).array(of: 0...200)) { raw in
            let samples = raw.map { ($0.first ?? 0, $0.dropFirst().first ?? 0, $0.last ?? 0) }
            let original = Self.aggregate(samples)
            do {
                #expect(try Self.wireRoundTrip(original) == original)
            } catch {
                Issue.record("round trip failed: \(error)")
            }
        }
    }

    /// A relay merging its children's decoded batches holds what one process recording every
    /// sample would hold.
    @Test func mergedBatchesEqualOneRecorder() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1000).array(of: 3...3).array(of: 1...150), Gen.int(in: 1...5)) { raw, parts in
            let samples = raw.map { ($0[0], $0[1], $0[2]) }
            let whole = Self.aggregate(samples)
            var merged = IntervalAggregate(start: 0)
            for part in 0..<parts {
                let mine = samples.enumerated().filter { $0.offset % parts == part }.map(\.element)
                // Time stamps differ from the whole's, so compare per-series figures, not gauges' times.
                do { try merged.merge(try Self.wireRoundTrip(Self.aggregate(mine))) } catch {
                    Issue.record("merge failed: \(error)")
                }
            }
            for (key, sink) in whole.series {
                switch (sink, merged.series[key]) {
                case (.counter(let a), .counter(let b)?): #expect(a.sum == b.sum && a.sampleCount == b.sampleCount)
                case (.rate(let a), .rate(let b)?): #expect(a == b)
                case (.trend(let a), .trend(let b)?): #expect(a.histogram == b.histogram && a.min == b.min && a.max == b.max)
                case (.gauge(let a), .gauge(let b)?): #expect(a.min == b.min && a.max == b.max)
                default: Issue.record("series \(key) differs: \(sink) vs \(String(describing: merged.series[key]))")
                }
            }
            #expect(Set(merged.series.keys) == Set(whole.series.keys))
        }
    }

    @Test func untrustedBatchesAreRefusedWithAReason() throws {
        var batch = try MetricBatchCoding.encode(Self.aggregate([(3, 0, 70), (0, 1, 1)]), sender: "a", sequence: 1)
        var duplicate = batch
        duplicate.entries.append(duplicate.entries[0])
        #expect(throws: MetricBatchError.self) { try MetricBatchCoding.decode(duplicate) }
        var repeatedTag = batch
        repeatedTag.entries[0].tags = [.with { $0.key = "zone"; $0.value = "a" }, .with { $0.key = "zone"; $0.value = "b" }]
        #expect(throws: MetricBatchError.malformed("tag zone repeated in \(repeatedTag.entries[0].name)")) {
            try MetricBatchCoding.decode(repeatedTag)
        }
        var badName = batch
        badName.entries[0].name = "no spaces allowed"
        #expect(throws: MetricBatchError.self) { try MetricBatchCoding.decode(badName) }
        let trendIndex = try #require(batch.entries.firstIndex { $0.name == "http_req_duration" })
        batch.entries[trendIndex].trend.hdrV2Compressed = Data([0x1c, 0x84, 0x93, 0x14, 0xff, 0xff, 0xff, 0xff])
        #expect {
            try MetricBatchCoding.decode(batch)
        } throws: { error in
            "\(error)".contains("http_req_duration")
        }
        var backwards = try MetricBatchCoding.encode(Self.aggregate([(0, 0, 1)]), sender: "a", sequence: 1)
        backwards.intervalStartNs = 10
        backwards.intervalEndNs = 5
        #expect(throws: MetricBatchError.malformed("interval ends before it starts")) { try MetricBatchCoding.decode(backwards) }
    }
}
