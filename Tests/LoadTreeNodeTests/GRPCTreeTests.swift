import GRPCCore
import GRPCInProcessTransport
import LoadTreeCore
import LoadTreeWire
import Testing
@testable import LoadTreeNode

/// A root and two agents over real gRPC streams (the in-process transport): the same node
/// logic as in memory, through the wire mapping, the service and the upstream connection.
@Suite(.timeLimit(.minutes(1))) struct GRPCTreeTests {
    static func hello(_ id: String) -> Loadtree_V1_Hello {
        .with {
            $0.nodeID = id
            $0.protocolVersion = WireVersion.current
            $0.role = .agent
            $0.weight = 1
        }
    }

    /// Runs a root with agents `a1` and `a2` attached over gRPC; `body` gets the three nodes.
    static func withTree(_ body: @escaping @Sendable (RelayNode, RelayNode, RelayNode) async throws -> Void) async throws {
        let log = AbortLog()
        let root = RelayNode(id: "root", parent: nil, children: ["a1", "a2"], hasEngine: true) { reason, _ in log.record("root", reason) }
        let transport = InProcessTransport()
        try await withGRPCServer(transport: transport.server, services: [TreeService(node: root, runID: "r1")]) { _ in
            try await withGRPCClient(transport: transport.client) { grpc in
                let client = Loadtree_V1_Tree.Client(wrapping: grpc)
                let connections = [UpstreamConnection(), UpstreamConnection()]
                let agents = ["a1", "a2"].enumerated().map { index, id in
                    RelayNode(id: id, parent: connections[index].link, children: [], hasEngine: true)
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (connection, agent) in zip(connections, agents) {
                        group.addTask { try await connection.run(client: client, hello: hello(agent.id), node: agent) }
                    }
                    try await body(root, agents[0], agents[1])
                    for connection in connections { connection.close() }
                    try await group.waitForAll()
                }
            }
        }
    }

    @Test func barriersOnceAndMetricsCrossTheWire() async throws {
        try await Self.withTree { root, a1, a2 in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in [root, a1, a2] { group.addTask { try await node.signalAndWait("init-done") } }
                try await group.waitForAll()
            }
            let runs = Counter()
            let values = await withTaskGroup(of: OnceCoordinator.Outcome.self) { group in
                for node in [root, a1, a2] {
                    group.addTask { await node.once("setup") { runs.increment(); return .value([42]) } }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(runs.value == 1)
            #expect(values == [.value([42]), .value([42]), .value([42])])
            let key = try SeriesKey("http_reqs", tags: ["zone": "eu"])
            for node in [a1, a2] {
                var interval = IntervalAggregate(start: 0)
                for _ in 0..<3 { try interval.add(1, to: key, type: .counter, at: 1) }
                await node.record(interval)
                await node.flushMetrics()
            }
            try await waitUntil { (await a1.unacknowledgedBatches) + (await a2.unacknowledgedBatches) == 0 }
            await root.flushMetrics()
            guard case .counter(let reqs)? = await root.totals.series[key] else {
                Issue.record("no http_reqs at the root")
                return
            }
            #expect(reqs.sum == 6)
        }
    }

    @Test func anUnexpectedNodeIsRejectedWithTheReason() async throws {
        let root = RelayNode(id: "root", parent: nil, children: ["a1"], hasEngine: true)
        let transport = InProcessTransport()
        try await withGRPCServer(transport: transport.server, services: [TreeService(node: root, runID: "r1")]) { _ in
            try await withGRPCClient(transport: transport.client) { grpc in
                let connection = UpstreamConnection()
                let stranger = RelayNode(id: "x9", parent: connection.link, children: [], hasEngine: true)
                await #expect {
                    try await connection.run(client: Loadtree_V1_Tree.Client(wrapping: grpc), hello: Self.hello("x9"), node: stranger)
                } throws: { error in
                    "\(error)".contains("node x9 is not expected here; expected a1")
                }
            }
        }
    }
}
