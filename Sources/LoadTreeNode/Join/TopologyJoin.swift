import LoadTreeCore

/// The root's policy: every agent belongs to a leaf zone of the topology (named by its name or
/// its path, `cloud/aws-eu`), relays to any zone, and no zone takes more agents than it
/// expects. The test starts when every leaf zone has its expected agents (or at least one).
public struct TopologyJoin: JoinPolicy {
    public let topology: Topology
    /// Leaf zone name or path → the zone's path key (`cloud/aws-eu`).
    private let leafPaths: [String: String]
    private let zoneNames: Set<String>

    public init(topology: Topology) {
        self.topology = topology
        var paths: [String: String] = [:]
        var nameCounts: [String: Int] = [:]
        for leaf in topology.leafZones { nameCounts[leaf.zone.name, default: 0] += 1 }
        for leaf in topology.leafZones {
            let key = leaf.path.joined(separator: "/")
            paths[key] = key
            if nameCounts[leaf.zone.name] == 1 { paths[leaf.zone.name] = key }
        }
        leafPaths = paths
        var names = Set<String>()
        func collect(_ zones: [Topology.Zone], _ prefix: [String]) {
            for zone in zones {
                names.insert(zone.name)
                names.insert((prefix + [zone.name]).joined(separator: "/"))
                collect(zone.zones, prefix + [zone.name])
            }
        }
        collect(topology.zones, [])
        zoneNames = names
    }

    /// The path key of the leaf zone `zone` names, if it names one.
    public func leafZone(_ zone: String) -> String? { leafPaths[zone] }

    private var knownLeafZones: [String] { topology.leafZones.map { $0.path.joined(separator: "/") } }

    public func admit(_ child: JoinedChild, alongside admitted: [JoinedChild]) throws(JoinRejection) -> JoinedChild {
        var child = child
        let leaves = topology.leafZones
        if child.zone.isEmpty, leaves.count == 1 { child.zone = leaves[0].zone.name }
        switch child.role {
        case .agent:
            guard leafPaths[child.zone] != nil else {
                throw .unknownZone(node: child.id, zone: child.zone, known: knownLeafZones)
            }
        case .relay:
            guard zoneNames.contains(child.zone) else {
                throw .unknownZone(node: child.id, zone: child.zone, known: topology.zones.map(\.name))
            }
            for leaf in child.subtree where leafPaths[leaf.zone] == nil {
                throw .unknownZone(node: leaf.id, zone: leaf.zone, known: knownLeafZones)
            }
        }
        try checkUnique(child, alongside: admitted)
        let counts = agentCounts(admitted + [child])
        for (path, zone) in leaves {
            let key = path.joined(separator: "/")
            if let expected = zone.expectedAgents, let count = counts[key], count > expected {
                throw .notExpected("zone \(key) expects \(expected) agents and has them all; \(child.id) would make \(count)")
            }
        }
        return child
    }

    public func missing(_ admitted: [JoinedChild]) -> [String] {
        let counts = agentCounts(admitted)
        return topology.leafZones.compactMap { path, zone in
            let key = path.joined(separator: "/")
            let count = counts[key] ?? 0
            if let expected = zone.expectedAgents {
                return count >= expected ? nil : "zone \(key): \(count) of \(expected) agents"
            }
            return count > 0 ? nil : "zone \(key): no agents yet"
        }
    }

    /// Agents per leaf zone path key.
    private func agentCounts(_ children: [JoinedChild]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for leaf in children.flatMap(\.leaves) {
            if let key = leafPaths[leaf.zone] { counts[key, default: 0] += 1 }
        }
        return counts
    }

    /// The global segment sequence over every leaf that joined: zones contiguous by share,
    /// agents inside a zone by weight, in node-id order so the result does not depend on who
    /// connected first.
    public func assignment(for children: [JoinedChild]) throws(AssignmentError) -> SegmentAssignment {
        var agents: [String: [SegmentAssignment.Agent]] = [:]
        for leaf in children.flatMap(\.leaves) {
            guard let key = leafPaths[leaf.zone] else { continue }
            agents[key, default: []].append(SegmentAssignment.Agent(id: leaf.id, weight: Int64(leaf.weight)))
        }
        for key in agents.keys { agents[key]?.sort { $0.id < $1.id } }
        return try SegmentAssignment(topology: topology, agents: agents)
    }
}
