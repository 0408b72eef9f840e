import LoadTreeWire

/// A load-generating node, as the root sees it when it shares out the test.
public struct TreeLeaf: Sendable, Hashable {
    public var id: String
    /// Its leaf zone (never empty once admitted: a parent fills in its own zone).
    public var zone: String
    /// Its relative share inside the zone (at least 1).
    public var weight: UInt32

    public init(id: String, zone: String, weight: UInt32 = 1) {
        self.id = id
        self.zone = zone
        self.weight = max(1, weight)
    }
}

/// A child that said Hello: an agent (a leaf itself) or a relay with the leaves below it.
public struct JoinedChild: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        case agent
        case relay
    }

    public var id: String
    public var zone: String
    public var role: Role
    public var weight: UInt32
    /// For a relay: every leaf below it (updated while the tree assembles).
    public var subtree: [TreeLeaf]

    public init(id: String, zone: String, role: Role, weight: UInt32 = 1, subtree: [TreeLeaf] = []) {
        self.id = id
        self.zone = zone
        self.role = role
        self.weight = max(1, weight)
        self.subtree = subtree
    }

    /// The load-generating nodes this child stands for.
    public var leaves: [TreeLeaf] {
        role == .agent ? [TreeLeaf(id: id, zone: zone, weight: weight)] : subtree
    }
}

extension JoinedChild {
    /// The child a Hello describes (not yet admitted: its zone may still be empty).
    init(hello: Loadtree_V1_Hello) {
        self.init(
            id: hello.nodeID, zone: hello.zone, role: hello.role == .relay ? .relay : .agent,
            weight: hello.weight, subtree: hello.leaves.map(TreeLeaf.init(wire:)))
    }
}

extension TreeLeaf {
    init(wire: Loadtree_V1_Leaf) {
        self.init(id: wire.nodeID, zone: wire.zone, weight: wire.weight)
    }

    var wire: Loadtree_V1_Leaf {
        .with {
            $0.nodeID = id
            $0.zone = zone
            $0.weight = weight
        }
    }
}
