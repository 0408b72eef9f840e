import Foundation
import LoadTreeWire
import PropertyBased
import Testing

/// Metric batches with arbitrary numbers, tags and histogram bytes survive the wire unchanged:
/// extremes of the integer ranges, negative run-clock times, empty and long byte strings.
@Suite("Wire round trips (properties)")
struct RoundTripPropertyTests {
    @Test("any metric batch survives serialize → parse, field for field")
    func anyMetricBatch() async {
        await propertyCheck(
            count: 200,
            input: Gen.uint64(),
            Gen.int64(),
            Gen.double(in: -1e15...1e15),
            Gen<UInt8>.value(in: 0...255).array(of: 0...300),
            Gen.lowercaseLetter.string(of: 1...16)
        ) { sequence, time, value, histogramBytes, tagValue in
            let batch = Loadtree_V1_MetricBatch.with {
                $0.sender = "agent-\(tagValue)"
                $0.sequence = sequence
                $0.intervalStartNs = time
                $0.intervalEndNs = time &+ 1_000_000_000
                $0.entries = [
                    .with {
                        $0.name = "http_reqs"
                        $0.tags = [.with { $0.key = "zone"; $0.value = tagValue }]
                        $0.counter = .with { $0.sum = value; $0.firstTimeNs = time; $0.count = sequence }
                    },
                    .with {
                        $0.name = "vus"
                        $0.gauge = .with { $0.value = value; $0.timeNs = time; $0.min = value - 1; $0.max = value + 1 }
                    },
                    .with {
                        $0.name = "checks"
                        $0.rate = .with { $0.trues = sequence / 2; $0.total = sequence }
                    },
                    .with {
                        $0.name = "http_req_duration"
                        $0.kind = .time
                        $0.trend = .with {
                            $0.hdrV2Compressed = Data(histogramBytes)
                            $0.min = value
                            $0.max = value
                            $0.sum = value
                            $0.unit = .milliseconds
                            $0.clampedCount = sequence
                        }
                    },
                ]
            }
            let up = Loadtree_V1_Up.with { $0.metricBatch = batch }
            let ack = Loadtree_V1_Down.with { $0.metricAck = .with { $0.sequence = sequence } }
            do {
                let parsed = try Loadtree_V1_Up(serializedBytes: try up.serializedBytes() as [UInt8])
                #expect(parsed == up)
                #expect(parsed.metricBatch.entries[3].trend.hdrV2Compressed == Data(histogramBytes))
                let parsedAck = try Loadtree_V1_Down(serializedBytes: try ack.serializedBytes() as [UInt8])
                #expect(parsedAck.metricAck.sequence == sequence)
            } catch {
                Issue.record("round trip threw: \(error)")
            }
        }
    }
}
