import LoadTreeCore
import LoadTreeNode
import LoadTreeWire
import SwiftProtobuf

/// One relay's CPU per second of test time with N children: every second each child's batch
/// arrives as wire bytes, is decoded, merged, and once a second the relay encodes its one
/// outgoing batch. Reported as a percentage of one core (CPU seconds per simulated second).
func relayMergeBench(children counts: [Int], seconds: Int) async {
    print("fan-in: one relay merging its children's batches (20 trend series per child, 1 s interval)")
    let distinct = AgentBatch.make(agent: 0, second: 0)
    if let key = distinct.sortedKeys.first(where: { $0.name.rawValue == "http_req_duration" }),
        case .trend(let trend)? = distinct.series[key]
    {
        var slots = 0
        TrendHistogram.layout.forEachNonEmptySlot(of: trend.histogram.histogram) { _, _, _ in slots += 1; return true }
        print("  one agent's batch: \(distinct.series.count) series, \(slots) distinct latencies in \(key), "
            + "\(wireBytes(distinct, sender: "a0", sequence: 1).count) bytes on the wire standalone, "
            + "\(streamBatches([distinct], senders: ["a0"], seconds: 1)[1][0].count) once its stream defined its series")
    }
    for n in counts {
        let ids = (0..<n).map { "a\($0)" }
        // One second of batches per child; each second is sent with its own sequence number.
        let intervals = ids.indices.map { AgentBatch.make(agent: $0, second: 0) }
        let wire = streamBatches(intervals, senders: ids, seconds: seconds)
        let parent = WireCaptureLink()
        let relay = RelayNode(id: "relay", parent: parent, children: ids, hasEngine: false)
        for id in ids { await relay.attach(id, link: AckEncodingLink()) }
        var directories = ids.map { _ in SeriesDirectory() }
        for (index, id) in ids.enumerated() { await deliver(wire[0][index], from: id, to: relay, directory: &directories[index]) }
        await relay.flushMetrics()
        _ = parent.take()
        let defined = directories
        let cpu = await CPUClock.measure {
            for second in 1...seconds {
                for (index, id) in ids.enumerated() { await deliver(wire[second][index], from: id, to: relay, directory: &directories[index]) }
                await relay.flushMetrics()
            }
        }
        let out = parent.take()
        row("\(n) children: relay CPU", percentOfCore(cpu, per: seconds)
            + String(format: "   (%.1f µs per child batch, out %d KB/s)", cpu / Double(seconds * n) * 1e6,
                     (out.last?.count ?? 0) / 1024))

        // Where the time goes, stage by stage, on the same batches: one cold pass each (all
        // batches parsed before any is merged), so the stages add up to more than the relay's
        // pipeline, where each batch is merged while still in cache.
        var parsed: [Loadtree_V1_MetricBatch] = []
        parsed.reserveCapacity(n)
        let parseCPU = await CPUClock.measure {
            for bytes in wire[1] {
                guard let up = try? Loadtree_V1_Up(serializedBytes: bytes), case .metricBatch(let batch) = up.message else {
                    fatalError("a generated batch must parse")
                }
                parsed.append(batch)
            }
        }
        var mergeDirectories = defined
        var accumulator = SeriesAccumulator(start: 0)
        let mergeCPU = await CPUClock.measure {
            for (index, batch) in parsed.enumerated() {
                // A refused batch would make the stage look cheap: stop instead.
                do { try MetricBatchCoding.merge(batch, directory: &mergeDirectories[index], into: &accumulator) } catch {
                    fatalError("a generated batch must merge: \(error)")
                }
            }
        }
        let merged = accumulator.drain(at: 1_000_000_000)
        let encodeCPU = await CPUClock.measure {
            _ = wireBytes(merged, sender: "relay", sequence: 1)
        }
        row("  of which: parse \(n) batches (protobuf)", String(format: "%8.2f ms", parseCPU * 1e3))
        row("            decode and merge them", String(format: "%8.2f ms", mergeCPU * 1e3))
        row("            encode the merged batch", String(format: "%8.2f ms", encodeCPU * 1e3))
    }
}

/// The relay's per-second work repeated `rounds` times (one relay, steady batches, each round
/// with its own sequence numbers), so that a profiler (`perf record`) sees mostly the merge and
/// little of the batch generation.
func relayProfileLoop(children n: Int, rounds: Int) async {
    let ids = (0..<n).map { "a\($0)" }
    let wire = streamBatches(ids.indices.map { AgentBatch.make(agent: $0, second: 0) }, senders: ids, seconds: rounds)
    let relay = RelayNode(id: "relay", parent: WireCaptureLink(), children: ids, hasEngine: false)
    for id in ids { await relay.attach(id, link: AckEncodingLink()) }
    // The streams' definitions, learned once, as a stream does.
    var directories = ids.map { _ in SeriesDirectory() }
    for (index, id) in ids.enumerated() { await deliver(wire[0][index], from: id, to: relay, directory: &directories[index]) }
    await relay.flushMetrics()
    let cpu = await CPUClock.measure {
        for round in 1...rounds {
            for (index, id) in ids.enumerated() { await deliver(wire[round][index], from: id, to: relay, directory: &directories[index]) }
            await relay.flushMetrics()
        }
    }
    row("\(n) children, \(rounds) rounds: relay CPU", percentOfCore(cpu, per: rounds))
}
