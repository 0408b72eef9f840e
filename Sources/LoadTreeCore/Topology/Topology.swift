/// Where a test's load comes from: named zones (regions, data centres, on-prem sites), each with
/// its share of the load, nested sub-zones or the number of agents it expects.
///
/// The root turns it into one global execution-segment sequence, zone by zone, so that every
/// zone's agents together run exactly the zone's share.
public struct Topology: Sendable, Hashable {
    public var zones: [Zone]

    public init(zones: [Zone]) {
        self.zones = zones
    }

    /// One zone: a share of its parent, split among sub-zones or among its agents.
    public struct Zone: Sendable, Hashable {
        public var name: String
        /// The share of the parent (`60%`, `3/5`); nil when the zones of a level share equally.
        public var share: Rational?
        /// How many agents the zone waits for before the test starts (leaf zones).
        public var expectedAgents: Int?
        /// Sub-zones, in file order (empty for a leaf zone, whose agents split its share).
        public var zones: [Zone]

        public init(name: String, share: Rational? = nil, expectedAgents: Int? = nil, zones: [Zone] = []) {
            self.name = name
            self.share = share
            self.expectedAgents = expectedAgents
            self.zones = zones
        }
    }

    /// Every leaf zone with its path from the top (`["us", "us-east-1a"]`), in order.
    public var leafZones: [(path: [String], zone: Zone)] {
        func walk(_ zones: [Zone], _ prefix: [String]) -> [(path: [String], zone: Zone)] {
            zones.flatMap { zone in
                zone.zones.isEmpty ? [(prefix + [zone.name], zone)] : walk(zone.zones, prefix + [zone.name])
            }
        }
        return walk(zones, [])
    }

    /// The agents every leaf zone expects, summed (nil when some zone does not say).
    public var expectedAgents: Int? {
        leafZones.reduce(Optional(0)) { total, leaf in
            guard let total, let expected = leaf.zone.expectedAgents else { return nil }
            return total + expected
        }
    }
}
