/// Which children a node takes while the tree assembles, and when it has all it waits for.
///
/// The root judges against the topology (``TopologyJoin``); a relay against its own zone and
/// expected count (``ZoneJoin``). The ``ChildHub`` applies the policy to every Hello.
public protocol JoinPolicy: Sendable {
    /// Admits `child` next to those already admitted, possibly completing it (a missing zone
    /// becomes the parent's), or says why not.
    func admit(_ child: JoinedChild, alongside admitted: [JoinedChild]) throws(JoinRejection) -> JoinedChild

    /// What is still missing before the node can go on (empty: complete).
    func missing(_ admitted: [JoinedChild]) -> [String]
}

/// A relay's policy: its agents belong to its zone (or name none), relays below it bring
/// their own sub-zones, and with an expected count it takes no more agents than that.
public struct ZoneJoin: JoinPolicy {
    public let zone: String
    /// Agents expected below this relay (nil: the root's topology decides).
    public let expectedAgents: Int?

    public init(zone: String, expectedAgents: Int?) {
        self.zone = zone
        self.expectedAgents = expectedAgents
    }

    public func admit(_ child: JoinedChild, alongside admitted: [JoinedChild]) throws(JoinRejection) -> JoinedChild {
        var child = child
        if child.role == .agent {
            if child.zone.isEmpty { child.zone = zone }
            guard child.zone == zone else {
                throw .unknownZone(node: child.id, zone: child.zone, known: [zone])
            }
        }
        try checkUnique(child, alongside: admitted)
        if let expectedAgents {
            let total = admitted.reduce(0) { $0 + $1.leaves.count } + child.leaves.count
            guard total <= expectedAgents else {
                throw .notExpected("relay of zone \(zone) expects \(expectedAgents) agents and has them all; \(child.id) is one too many")
            }
        }
        return child
    }

    public func missing(_ admitted: [JoinedChild]) -> [String] {
        let agents = admitted.reduce(0) { $0 + $1.leaves.count }
        guard let expectedAgents else { return agents == 0 ? ["zone \(zone): no agents yet"] : [] }
        return agents >= expectedAgents ? [] : ["zone \(zone): \(agents) of \(expectedAgents) agents"]
    }
}

/// Node ids are unique in the whole tree: metric deduplication and segments are keyed on them.
func checkUnique(_ child: JoinedChild, alongside admitted: [JoinedChild]) throws(JoinRejection) {
    var taken = Set<String>()
    for other in admitted {
        taken.insert(other.id)
        for leaf in other.leaves { taken.insert(leaf.id) }
    }
    if taken.contains(child.id) { throw .duplicateNodeID(child.id) }
    var seen = Set<String>()
    for leaf in child.subtree {
        guard !taken.contains(leaf.id), seen.insert(leaf.id).inserted else { throw .duplicateNodeID(leaf.id) }
    }
}
