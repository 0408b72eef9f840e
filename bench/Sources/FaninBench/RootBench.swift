import LoadTreeCore
import LoadTreeNode

/// The root's CPU per second of test time for the same agents arranged as a flat star or
/// under relays. Under relays the root receives one batch per relay (the merge of that relay's
/// agents), so its cost should stay flat as agents are added below the relays.
func rootBench(shapes: [(relays: Int, agentsPerRelay: Int)], seconds: Int) async {
    print("fan-in: the root's CPU, agents flat or under relays")
    for shape in shapes {
        let agents = shape.relays * shape.agentsPerRelay
        let flat = shape.relays == 0
        // What reaches the root each second: the agents' own batches (flat), or one merged
        // batch per relay, made here as the relay would make it.
        let senders: [String]
        let intervals: [IntervalAggregate]
        if flat {
            senders = (0..<shape.agentsPerRelay).map { "a\($0)" }
            intervals = senders.indices.map { AgentBatch.make(agent: $0, second: 0) }
        } else {
            senders = (0..<shape.relays).map { "r\($0)" }
            intervals = senders.indices.map { relay in
                var merged = IntervalAggregate(start: 0)
                for agent in 0..<shape.agentsPerRelay {
                    try? merged.merge(AgentBatch.make(agent: relay * shape.agentsPerRelay + agent, second: 0))
                }
                return merged
            }
        }
        let wire = streamBatches(intervals, senders: senders, seconds: seconds)
        let root = RelayNode(id: "root", parent: nil, children: senders, hasEngine: false)
        for id in senders { await root.attach(id, link: AckEncodingLink()) }
        var directories = senders.map { _ in SeriesDirectory() }
        for (index, id) in senders.enumerated() { await deliver(wire[0][index], from: id, to: root, directory: &directories[index]) }
        await root.flushMetrics()
        let cpu = await CPUClock.measure {
            for second in 1...seconds {
                for (index, id) in senders.enumerated() { await deliver(wire[second][index], from: id, to: root, directory: &directories[index]) }
                await root.flushMetrics()
            }
        }
        let label = flat ? "\(shape.agentsPerRelay) agents flat" : "\(agents) agents as \(shape.relays) relays × \(shape.agentsPerRelay)"
        let size = wire[1].map(\.count).max() ?? 0
        row("\(label): root CPU", percentOfCore(cpu, per: seconds) + "   (largest batch in \(size / 1024) KB)")
    }
}
