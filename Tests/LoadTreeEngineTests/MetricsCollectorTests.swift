import Foundation
import LoadTreeCore
import LoadTreeEngine
import Synchronization
import Testing

/// The collector's shards are invisible in what it reports: samples recorded from several
/// threads into a sharded collector drain to exactly what one shard holding them all reports.
@Suite struct MetricsCollectorTests {
    private static let tags = TagSet(["scenario": "load"])

    private struct Metric {
        let key: SeriesKey
        let type: MetricType
        let kind: ValueKind
    }

    private static let metrics: [Metric] = [
        Metric(key: try! SeriesKey("http_req_duration", tags: tags), type: .trend, kind: .time),
        Metric(key: try! SeriesKey("http_reqs", tags: tags), type: .counter, kind: .default),
        Metric(key: try! SeriesKey("http_req_failed", tags: tags), type: .rate, kind: .default),
        Metric(key: try! SeriesKey("response_bytes", tags: tags), type: .trend, kind: .data),
    ]

    /// Sample `i` of writer `w`: deterministic, spread over several orders of magnitude.
    private static func value(_ i: Int, writer w: Int, metric m: Int) -> Double {
        switch metrics[m].type {
        case .rate: Double((i + w) % 3 == 0 ? 1 : 0)
        case .counter: 1
        default: Double((i * 7919 + w * 104_729 + m) % 50_000) / 10
        }
    }

    /// Records `samples` per writer from `writers` OS threads at once, each through its own
    /// recorder; returns when all are done.
    private static func record(into collector: MetricsCollector, writers: Int, samples: Int) {
        let handles = metrics.map { collector.series($0.key, type: $0.type, kind: $0.kind)! }
        let done = DispatchGroup()
        for writer in 0..<writers {
            done.enter()
            let thread = Thread {
                let recorder = collector.recorder()
                for i in 0..<samples {
                    recorder.record(handles.indices.map { m in (handles[m], value(i, writer: writer, metric: m)) })
                }
                done.leave()
            }
            thread.start()
        }
        done.wait()
    }

    @Test func shardedRecordingDrainsToTheSingleShardFigures() {
        let clock = RunClock()
        let sharded = MetricsCollector(clock: clock, shards: 4)
        Self.record(into: sharded, writers: 4, samples: 5_000)

        let single = MetricsCollector(clock: clock, shards: 1)
        let handles = Self.metrics.map { single.series($0.key, type: $0.type, kind: $0.kind)! }
        let recorder = single.recorder()
        for writer in 0..<4 {
            for i in 0..<5_000 {
                recorder.record(handles.indices.map { m in (handles[m], Self.value(i, writer: writer, metric: m)) })
            }
        }

        let mine = sharded.drainInterval().series
        let theirs = single.drainInterval().series
        #expect(mine.count == Self.metrics.count)
        for metric in Self.metrics {
            guard let a = mine[metric.key], let b = theirs[metric.key] else {
                Issue.record("missing \(metric.key)")
                continue
            }
            switch (a, b) {
            case (.trend(let x), .trend(let y)):
                // Counts, extremes and every percentile; the sum in another order may differ in
                // the last bits only for fractional samples.
                #expect(x.count == y.count)
                #expect(x.min == y.min && x.max == y.max)
                #expect(x.histogram.unit == y.histogram.unit)
                for p in [0.0, 50, 90, 95, 99, 99.9, 100] { #expect(x.percentile(p) == y.percentile(p)) }
                #expect(abs(x.sum - y.sum) <= 1e-9 * abs(y.sum))
            case (.counter(let x), .counter(let y)):
                #expect(x.sum == y.sum && x.sampleCount == y.sampleCount)
            default:
                #expect(a == b)
            }
        }
    }

    @Test func drainingEmptiesEveryShardAndTheTotalKeepsAll() {
        let collector = MetricsCollector(clock: RunClock(), shards: 3)
        Self.record(into: collector, writers: 3, samples: 1_000)
        let first = collector.drainInterval()
        #expect(first.series.count == Self.metrics.count)
        #expect(collector.drainInterval().series.isEmpty)
        Self.record(into: collector, writers: 2, samples: 500)
        let total = collector.snapshot()
        guard case .counter(let requests) = total.series[Self.metrics[1].key] else {
            Issue.record("no http_reqs in the total")
            return
        }
        #expect(requests.sum == Double(3 * 1_000 + 2 * 500))
    }
}
