import GRPCCore
import GRPCInProcessTransport
import LoadTreeCore
import LoadTreeWire
import Testing
@testable import LoadTreeNode

/// Bad peers over real gRPC streams (the in-process transport): each gets a rejection that
/// says what is wrong, and the parent keeps serving the others.
@Suite(.timeLimit(.minutes(1))) struct GRPCTreeTests {
    static let topology = Topology(zones: [
        Topology.Zone(name: "eu", expectedAgents: 2),
        Topology.Zone(name: "us", expectedAgents: 1),
    ])

    struct NoOperations: TreeOperations {
        func status() async -> Loadtree_V1_StatusReply { Loadtree_V1_StatusReply() }
        func abort(reason: String) async -> Bool { false }
    }

    static func hello(_ id: String, zone: String, version: UInt32 = WireVersion.current) -> Loadtree_V1_Hello {
        .with {
            $0.nodeID = id
            $0.zone = zone
            $0.protocolVersion = version
            $0.role = .agent
            $0.weight = 1
        }
    }

    /// Runs `body` with a client of a root service whose hub judges against ``topology``.
    static func withRoot(_ body: @escaping @Sendable (ChildHub, Loadtree_V1_Tree.Client<InProcessTransport.Client>) async throws -> Void) async throws {
        let hub = ChildHub(policy: TopologyJoin(topology: topology))
        let transport = InProcessTransport()
        try await withGRPCServer(transport: transport.server, services: [TreeService(hub: hub, runID: "r1", operations: NoOperations())]) { _ in
            try await withGRPCClient(transport: transport.client) { grpc in
                try await body(hub, Loadtree_V1_Tree.Client(wrapping: grpc))
            }
        }
    }

    /// Sends `first` on an Attach stream and returns the first answer (and keeps the stream
    /// open until `hold` returns, for nodes that must stay attached).
    static func firstAnswer(_ client: Loadtree_V1_Tree.Client<InProcessTransport.Client>, _ first: Loadtree_V1_Up) async throws -> Loadtree_V1_Down? {
        try await client.attach { writer in
            try await writer.write(first)
        } onResponse: { response in
            for try await down in response.messages { return down }
            return nil
        }
    }

    /// Attaches with `hello` and stays attached until `hold` ends; returns the first answer.
    static func attached(_ client: Loadtree_V1_Tree.Client<InProcessTransport.Client>, _ hello: Loadtree_V1_Hello, until hold: AsyncStream<Void>) async throws -> Loadtree_V1_Down? {
        try await client.attach { writer in
            try await writer.write(.with { $0.hello = hello })
            for await _ in hold {}
        } onResponse: { response in
            var first: Loadtree_V1_Down?
            for try await down in response.messages where first == nil { first = down }
            return first
        }
    }

    @Test func badPeersAreRejectedWithTheReasonAndOthersStillJoin() async throws {
        try await Self.withRoot { hub, client in
            func rejection(_ up: Loadtree_V1_Up) async throws -> Loadtree_V1_Rejection? {
                guard case .rejection(let rejection)? = try await Self.firstAnswer(client, up)?.message else { return nil }
                return rejection
            }
            // Not a Hello first.
            let malformed = try await rejection(.with { $0.barrierArrive = .with { $0.id = "x" } })
            #expect(malformed?.reason == .malformed)
            #expect(malformed?.message.contains("must be a Hello") == true)
            // A protocol this node does not speak.
            let version = try await rejection(.with { $0.hello = Self.hello("a9", zone: "eu", version: 99) })
            #expect(version?.reason == .protocolVersion)
            #expect(version?.message.contains("protocol version 99 is not supported") == true)
            #expect(version?.supportedProtocolVersions == WireVersion.supported)
            // A zone the topology does not have.
            let zone = try await rejection(.with { $0.hello = Self.hello("a8", zone: "mars") })
            #expect(zone?.reason == .unknownZone)
            #expect(zone?.message == "zone \"mars\" of node a8 is not known here; known zones: eu, us")
            // A node coming back to another run.
            var stale = Self.hello("a6", zone: "eu")
            stale.runID = "an-earlier-run"
            let wrongRun = try await rejection(.with { $0.hello = stale })
            #expect(wrongRun?.reason == .wrongRun)
            #expect(wrongRun?.message == "node a6 comes back to run an-earlier-run, which is not this one; restart it to join a new run")
            // An agent that names no zone where several exist.
            let noZone = try await rejection(.with { $0.hello = Self.hello("a7", zone: "") })
            #expect(noZone?.reason == .unknownZone)

            // A good agent joins and stays attached while a second one claims its id.
            let (holdFirst, releaseFirst) = AsyncStream.makeStream(of: Void.self)
            let (holdSecond, releaseSecond) = AsyncStream.makeStream(of: Void.self)
            async let good = Self.attached(client, Self.hello("a1", zone: "eu"), until: holdFirst)
            try await waitUntil { await hub.children.map(\.id) == ["a1"] }
            let duplicate = try await rejection(.with { $0.hello = Self.hello("a1", zone: "us") })
            #expect(duplicate?.reason == .duplicateNodeID)
            #expect(duplicate?.message.contains("node id a1 is already taken") == true)
            // The zone eu expects two agents; a third one is one too many.
            async let second = Self.attached(client, Self.hello("a2", zone: "eu"), until: holdSecond)
            try await waitUntil { await hub.children.count == 2 }
            let extra = try await rejection(.with { $0.hello = Self.hello("a3", zone: "eu") })
            #expect(extra?.reason == .notExpected)
            #expect(extra?.message.contains("zone eu expects 2 agents") == true)
            #expect(await hub.missing == ["zone us: 0 of 1 agents"])
            releaseFirst.finish()
            releaseSecond.finish()
            guard case .welcome(let welcome)? = try await good?.message else {
                Issue.record("a1 was not welcomed")
                return
            }
            #expect(welcome.nodeID == "a1")
            #expect(welcome.runID == "r1")
            _ = try await second
        }
    }

    /// A raw peer: says `hello`, waits until `go` ends, sends `ups`, and returns everything the
    /// parent sent until the parent ended the stream.
    static func peer(_ client: Loadtree_V1_Tree.Client<InProcessTransport.Client>, _ hello: Loadtree_V1_Hello,
                     after go: AsyncStream<Void> = AsyncStream { $0.finish() }, sending ups: [Loadtree_V1_Up] = []) async throws -> [Loadtree_V1_Down] {
        let (ended, end) = AsyncStream.makeStream(of: Void.self)
        return try await client.attach { writer in
            try await writer.write(.with { $0.hello = hello })
            for await _ in go {}
            for up in ups { try await writer.write(up) }
            for await _ in ended {}
        } onResponse: { response in
            defer { end.finish() }
            var downs: [Loadtree_V1_Down] = []
            for try await down in response.messages { downs.append(down) }
            return downs
        }
    }

    /// A metric batch that decodes to nothing the parent can count.
    static func brokenBatch(from sender: String) throws -> Loadtree_V1_Up {
        var batch = try MetricBatchCoding.encode(IntervalAggregate(start: 0), sender: sender, sequence: 1)
        batch.intervalStartNs = 10
        batch.intervalEndNs = 5
        return .with { $0.metricBatch = batch }
    }

    @Test func aChildWhoseBatchCannotBeCountedIsRefusedAndTheTestAborts() async throws {
        try await Self.withRoot { hub, client in
            let expected = "node a1 sent a batch that cannot be counted: malformed metric batch: interval ends before it starts"
            // While the tree assembles, the broken agent is refused and leaves the tree.
            let early = try await Self.peer(client, Self.hello("a1", zone: "eu"), sending: [try Self.brokenBatch(from: "a1")])
            guard case .rejection(let refused)? = early.last?.message else {
                Issue.record("a1 was not refused: \(early)")
                return
            }
            #expect(refused.reason == .malformed)
            #expect(refused.message == expected)
            #expect(await hub.children.isEmpty)

            // During the run, the broken agent is refused at once and the test aborts for all,
            // naming it (the grace of a lost stream is far beyond the suite's time limit).
            let (go, start) = AsyncStream.makeStream(of: Void.self)
            async let broken = Self.peer(client, Self.hello("a1", zone: "eu"), after: go, sending: [try Self.brokenBatch(from: "a1")])
            async let good = Self.peer(client, Self.hello("a2", zone: "eu"))
            try await waitUntil { await hub.children.count == 2 }
            let (aborts, abort) = AsyncStream.makeStream(of: String.self)
            let node = RelayNode(id: "root", parent: nil, children: ["a1", "a2"], hasEngine: false, onAbort: { reason, _ in abort.yield(reason) })
            _ = await hub.seal()
            await hub.bind(node, grace: .seconds(600))
            start.finish()
            let brokenDowns = try await broken
            guard case .rejection(let rejection)? = brokenDowns.last?.message else {
                Issue.record("a1 was not refused during the run: \(brokenDowns)")
                return
            }
            #expect(rejection.reason == .malformed)
            #expect(rejection.message == expected)
            var reasons = aborts.makeAsyncIterator()
            let reason = await reasons.next()
            #expect(reason == "\(expected); the test cannot count its share")
            // The other agent was told why (before the abort was reported) and is served until
            // the tree ends.
            await hub.closeAll()
            let goodDowns = try await good
            #expect(goodDowns.contains { down in
                if case .abort(let message)? = down.message { return message.reason == reason }
                return false
            })
        }
    }
}
