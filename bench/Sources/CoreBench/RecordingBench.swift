import Foundation
import LoadTreeCore
import LoadTreeEngine

/// What recording one HTTP request's metrics costs: the 11 samples a request produces (timings,
/// counters, the failure rate) into the node's collector, against recording a single sample.
func recordingBench() {
    print("metrics: recording one request's samples")
    let collector = MetricsCollector(clock: RunClock())
    var tags = TagSet(["scenario": "load", "name": "http://127.0.0.1/", "method": "GET", "status": "200",
                       "group": "", "expected_response": "true", "proto": "HTTP/1.1"])
    tags = tags.setting("team", to: "web")
    let names = ["http_reqs", "http_req_failed", "http_req_duration", "http_req_blocked", "http_req_connecting",
                 "http_req_tls_handshaking", "http_req_sending", "http_req_waiting", "http_req_receiving",
                 "data_sent", "data_received"]
    let types: [MetricType] = [.counter, .rate, .trend, .trend, .trend, .trend, .trend, .trend, .trend, .counter, .counter]
    let keys = names.compactMap { try? SeriesKey($0, tags: tags) }
    let requests = 500_000
    let perRequest = measure("MetricsCollector.record, 11 samples (one request)", operations: requests, repeats: 3) {
        for i in 0..<requests {
            let v = Double(i & 1023) / 10
            collector.record(zip(keys, types).map { MetricSample(v, $0.0, type: $0.1, kind: $0.1 == .trend ? .time : .default) })
        }
        return Int(collector.drainInterval().series.count)
    }
    let handles = zip(keys, types).compactMap { collector.series($0.0, type: $0.1, kind: $0.1 == .trend ? .time : .default) }
    var batch: [(series: MetricsCollector.Series, value: Double)] = []
    let byHandle = measure("MetricsCollector.record, 11 samples by series handle (the engine's path)", operations: requests, repeats: 3) {
        for i in 0..<requests {
            let v = Double(i & 1023) / 10
            batch.removeAll(keepingCapacity: true)
            for handle in handles { batch.append((handle, v)) }
            collector.record(batch)
        }
        return Int(collector.drainInterval().series.count)
    }
    let single = measure("MetricsCollector.record, 1 sample (peer)", operations: requests, repeats: 3) {
        for i in 0..<requests { collector.record(Double(i & 1023) / 10, keys[2], type: .trend, kind: .time) }
        return Int(collector.drainInterval().series.count)
    }
    print("  one request's metrics: \(Int(1e9 / perRequest)) ns by key, \(Int(1e9 / byHandle)) ns by handle; one sample: \(Int(1e9 / single)) ns")
    ratio("request by handle / request by key", byHandle, perRequest)
    ratio("request (11 samples) / single sample", perRequest, single)
}

/// What the collector's shards buy when several event-loop threads record at once: each thread
/// records a request's 11 samples through its own recorder, into a collector with one shard
/// (every thread takes the same lock and writes the same histograms) and into one with a shard
/// per thread. Run unpinned (`bash bench/run contention`): it needs every core.
func recordingContentionBench() {
    let threads = max(2, ProcessInfo.processInfo.activeProcessorCount)
    print("metrics: \(threads) threads recording one request's samples at once")
    let keys: [(SeriesKey, MetricType)] = [
        ("http_reqs", .counter), ("http_req_failed", .rate), ("http_req_duration", .trend), ("http_req_blocked", .trend),
        ("http_req_connecting", .trend), ("http_req_tls_handshaking", .trend), ("http_req_sending", .trend),
        ("http_req_waiting", .trend), ("http_req_receiving", .trend), ("data_sent", .counter), ("data_received", .counter),
    ].compactMap { name, type in (try? SeriesKey(name, tags: TagSet(["scenario": "load"]))).map { ($0, type) } }
    let requests = 300_000
    func run(shards: Int) -> Double {
        measure("\(threads) threads, collector with \(shards) shard(s)", operations: requests * threads, repeats: 3) {
            let collector = MetricsCollector(clock: RunClock(), shards: shards)
            let handles = keys.compactMap { collector.series($0.0, type: $0.1, kind: $0.1 == .trend ? .time : .default) }
            let done = DispatchGroup()
            for t in 0..<threads {
                done.enter()
                Thread {
                    let recorder = collector.recorder()
                    var batch: [(series: MetricsCollector.Series, value: Double)] = []
                    for i in 0..<requests {
                        let v = Double((i &+ t) & 1023) / 10
                        batch.removeAll(keepingCapacity: true)
                        for handle in handles { batch.append((handle, v)) }
                        recorder.record(batch)
                    }
                    done.leave()
                }.start()
            }
            done.wait()
            return collector.drainInterval().series.count
        }
    }
    let shared = run(shards: 1)
    let sharded = run(shards: threads)
    ratio("a shard per thread / one shared shard", sharded, shared)
}
