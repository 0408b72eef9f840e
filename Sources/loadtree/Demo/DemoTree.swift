import LoadTreeCore
import LoadTreeNode

/// The relays and agents of the demo tree, in this process but connected to the root and to
/// each other by real gRPC on loopback, as separate machines would be.
enum DemoTree {
    /// Each relay's zone and the agents it takes.
    static let zones: [(zone: String, share: Int, agents: [String])] = [
        ("eu-west", 60, ["eu-west-1", "eu-west-2"]),
        ("us-east", 40, ["us-east-1", "us-east-2"]),
    ]

    /// The topology the root waits for.
    static var topology: Topology {
        get throws {
            Topology(zones: try zones.map { zone in
                Topology.Zone(name: zone.zone, share: try Rational(Int64(zone.share), 100), expectedAgents: zone.agents.count)
            })
        }
    }

    /// Starts every relay and agent under the root at `root`; returns when all have finished.
    static func run(root: NodeAddress) async {
        await withTaskGroup(of: Void.self) { group in
            for zone in zones {
                group.addTask { await runZone(zone.zone, agents: zone.agents, root: root) }
            }
        }
    }

    private static func runZone(_ zone: String, agents: [String], root: NodeAddress) async {
        let hub = ChildHub(policy: ZoneJoin(zone: zone, expectedAgents: agents.count))
        let relay = TreeRun(settings: NodeSettings(id: "relay-\(zone)", zone: zone, runsLoad: false), hub: hub)
        let service = TreeService(hub: hub, runID: relay.runID, operations: relay)
        do {
            try await TreeNetwork.serve(service, on: NodeAddress(host: "127.0.0.1", port: 0)) { bound in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let outcome = await relay.runMember(upstream: UpstreamConnection(), attach: TreeNetwork.attach(to: root))
                        if outcome.exitCode != .success { printError("relay-\(zone): \(outcome.message)") }
                    }
                    for id in agents {
                        group.addTask {
                            let agent = TreeRun(settings: NodeSettings(id: id, runsLoad: true, httpThreads: 1), hub: nil)
                            let outcome = await agent.runMember(upstream: UpstreamConnection(), attach: TreeNetwork.attach(to: bound))
                            if outcome.exitCode != .success { printError("\(id): \(outcome.message)") }
                        }
                    }
                }
            }
        } catch {
            printError("relay-\(zone): \(error)")
        }
    }
}
