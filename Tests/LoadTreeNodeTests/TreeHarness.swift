import GRPCCore
import GRPCInProcessTransport
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire
@testable import LoadTreeNode

/// A whole tree of ``TreeRun``s — root, relays, agents — connected by real gRPC streams over
/// the in-process transport: the same code as the command line's roles, without sockets.
struct TreeHarness {
    struct Relay {
        var id: String
        var zone: String
        var parent: String
        var expect: Int? = nil
    }

    struct Agent {
        var id: String
        var zone: String = ""
        var weight: UInt32 = 1
        var parent: String
        /// Cuts the agent's first stream to its parent after this long (a network blip).
        var cutFirstStreamAfter: Duration? = nil
        /// Ends the agent's first stream after this long as a parent's rejection would (the
        /// parent could not use a message of the agent's).
        var refuseFirstStreamAfter: Duration? = nil
    }

    struct Outcome {
        let root: RootOutcome
        let members: [String: MemberOutcome]
    }

    /// Runs the tree to its end. `root` describes the test; every node attaches to its parent.
    static func run(root: RootSettings, relays: [Relay] = [], agents: [Agent], onRoot: @escaping @Sendable (TreeRun) async -> Void = { _ in },
                    onMembers: @escaping @Sendable ([String: TreeRun]) async -> Void = { _ in }) async throws -> Outcome {
        let listeners = ["root"] + relays.map(\.id)
        var transports: [String: InProcessTransport] = [:]
        for id in listeners { transports[id] = InProcessTransport() }
        let rootHub = ChildHub(policy: TopologyJoin(topology: root.topology))
        let rootRun = TreeRun(settings: NodeSettings(id: "root", runsLoad: false), hub: rootHub)
        var services: [String: TreeService] = ["root": TreeService(hub: rootHub, runID: rootRun.runID, operations: rootRun)]
        var members: [(id: String, run: TreeRun, parent: String)] = []
        for relay in relays {
            let hub = ChildHub(policy: ZoneJoin(zone: relay.zone, expectedAgents: relay.expect))
            let run = TreeRun(settings: NodeSettings(id: relay.id, zone: relay.zone, runsLoad: false), hub: hub)
            services[relay.id] = TreeService(hub: hub, runID: run.runID, operations: run)
            members.append((relay.id, run, relay.parent))
        }
        var cuts: [String: Duration] = [:]
        var refusals: [String: Duration] = [:]
        for agent in agents {
            let run = TreeRun(settings: NodeSettings(id: agent.id, zone: agent.zone, weight: agent.weight, runsLoad: true, httpThreads: 1, environment: [:]), hub: nil)
            members.append((agent.id, run, agent.parent))
            cuts[agent.id] = agent.cutFirstStreamAfter
            refusals[agent.id] = agent.refuseFirstStreamAfter
        }
        let servers = listeners.compactMap { id in transports[id].map { GRPCServer(transport: $0.server, services: [services[id]!]) } }
        let clients = Dictionary(uniqueKeysWithValues: listeners.compactMap { id in transports[id].map { (id, GRPCClient(transport: $0.client)) } })
        let memberList = members
        let cutAfter = cuts
        let refuseAfter = refusals
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { try await server.serve() } }
            for client in clients.values { group.addTask { try await client.runConnections() } }
            defer {
                for server in servers { server.beginGracefulShutdown() }
                for client in clients.values { client.beginGracefulShutdown() }
            }
            let outcomes = try await withThrowingTaskGroup(of: (String, MemberOutcome?, RootOutcome?).self) { runs in
                let memberRuns = Dictionary(uniqueKeysWithValues: memberList.map { ($0.id, $0.run) })
                runs.addTask {
                    await onMembers(memberRuns)
                    return ("watcher", nil, nil)
                }
                runs.addTask {
                    await onRoot(rootRun)
                    return ("root", nil, await rootRun.runRoot(root))
                }
                for member in memberList {
                    let parent = Loadtree_V1_Tree.Client(wrapping: clients[member.parent]!)
                    let attempts = Counter()
                    runs.addTask {
                        let outcome = await member.run.runMember(upstream: UpstreamConnection()) { connection, hello, onEvent in
                            attempts.increment()
                            if attempts.value == 1, let refusal = refuseAfter[member.id] {
                                let stream = Task { try await connection.run(client: parent, hello: hello, onEvent: onEvent) }
                                try await Task.sleep(for: refusal)
                                stream.cancel()
                                _ = try? await stream.value
                                throw UpstreamConnection.Failure.rejected("refused for the test")
                            }
                            guard attempts.value == 1, let cut = cutAfter[member.id] else {
                                try await connection.run(client: parent, hello: hello, onEvent: onEvent)
                                return
                            }
                            // The first stream breaks mid-run, as a flaky network would break it.
                            let stream = Task { try await connection.run(client: parent, hello: hello, onEvent: onEvent) }
                            try await Task.sleep(for: cut)
                            stream.cancel()
                            try await stream.value
                        }
                        return (member.id, outcome, nil)
                    }
                }
                var rootOutcome: RootOutcome?
                var memberOutcomes: [String: MemberOutcome] = [:]
                for try await (id, member, root) in runs {
                    if let root { rootOutcome = root }
                    if let member { memberOutcomes[id] = member }
                }
                return Outcome(root: rootOutcome!, members: memberOutcomes)
            }
            return outcomes
        }
    }
}
