import GRPCCore
import GRPCInProcessTransport
import LoadTreeNode
import LoadTreeWire

/// Barrier round trips over gRPC's in-process transport: every agent calls `signalAndWait`,
/// arrivals combine up through the relays to the root, the release fans back down. One
/// round's latency is from the last agent's arrival to the last agent's release: the time
/// the tree adds to a synchronised step. `relays == 0` attaches the agents to the root
/// directly (two levels), the peer for three levels.
func barrierBench(relays: Int, agentsPerRelay: Int, rounds: Int) async {
    let levels = relays == 0 ? "2 levels: root → \(agentsPerRelay) agents" : "3 levels: root → \(relays) relays → \(agentsPerRelay) agents each"
    do {
        let latencies = try await barrierRounds(relays: relays, agentsPerRelay: agentsPerRelay, rounds: rounds)
        let sorted = latencies.sorted()
        func micros(_ d: Duration) -> String {
            String(format: "%7.0f µs", Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) * 1e-12)
        }
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        row(levels, "median \(micros(sorted[sorted.count / 2]))   p99 \(micros(p99))   (\(rounds) rounds)")
    } catch {
        row(levels, "failed: \(error)")
    }
}

private func hello(_ id: String, role: Loadtree_V1_Role) -> Loadtree_V1_Hello {
    .with {
        $0.nodeID = id
        $0.protocolVersion = WireVersion.current
        $0.role = role
        $0.weight = 1
    }
}

/// A gRPC server and client pair on one in-process transport, serving `node`'s children.
private struct Hub {
    let server: GRPCServer<InProcessTransport.Server>
    let client: GRPCClient<InProcessTransport.Client>

    init(serving node: RelayNode) {
        let transport = InProcessTransport()
        server = GRPCServer(transport: transport.server, services: [TreeService(node: node, runID: "bench")])
        client = GRPCClient(transport: transport.client)
    }
}

private func barrierRounds(relays: Int, agentsPerRelay: Int, rounds: Int) async throws -> [Duration] {
    let relayIDs = (0..<relays).map { "r\($0)" }
    let groups = relays == 0 ? [(0..<agentsPerRelay).map { "a\($0)" }]
        : relayIDs.map { relay in (0..<agentsPerRelay).map { "\(relay)-a\($0)" } }
    let root = RelayNode(id: "root", parent: nil, children: relays == 0 ? groups[0] : relayIDs, hasEngine: false)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        var hubs = [Hub(serving: root)]
        var connections: [UpstreamConnection] = []
        var agents: [RelayNode] = []
        // The parents of the agents: the root itself, or one relay each.
        var agentParents: [Hub] = []
        if relays == 0 {
            agentParents = [hubs[0]]
        } else {
            for relayID in relayIDs {
                let connection = UpstreamConnection()
                let relay = RelayNode(id: relayID, parent: connection.link, children: groups[agentParents.count], hasEngine: false)
                let upstream = Loadtree_V1_Tree.Client(wrapping: hubs[0].client)
                connections.append(connection)
                tasks.addTask { try await connection.run(client: upstream, hello: hello(relayID, role: .relay), node: relay) }
                let hub = Hub(serving: relay)
                hubs.append(hub)
                agentParents.append(hub)
            }
        }
        for hub in hubs {
            tasks.addTask { try await hub.server.serve() }
            tasks.addTask { try await hub.client.runConnections() }
        }
        for (parent, ids) in zip(agentParents, groups) {
            for id in ids {
                let connection = UpstreamConnection()
                let agent = RelayNode(id: id, parent: connection.link, children: [], hasEngine: true)
                let upstream = Loadtree_V1_Tree.Client(wrapping: parent.client)
                connections.append(connection)
                agents.append(agent)
                tasks.addTask { try await connection.run(client: upstream, hello: hello(id, role: .agent), node: agent) }
            }
        }
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        // Round 0 only waits until every node has attached.
        for round in 0...rounds {
            let barrier = "b\(round)"
            let times = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
                for agent in agents {
                    group.addTask {
                        let arrived = clock.now
                        try await agent.signalAndWait(barrier)
                        return (arrived, clock.now)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            guard round > 0, let lastArrival = times.map(\.0).max(), let lastRelease = times.map(\.1).max() else { continue }
            latencies.append(lastRelease - lastArrival)
        }
        for connection in connections { connection.close() }
        for hub in hubs {
            hub.client.beginGracefulShutdown()
            hub.server.beginGracefulShutdown()
        }
        tasks.cancelAll()
        while (try? await tasks.next()) != nil {}
        return latencies
    }
}
