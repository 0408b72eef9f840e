/// The segments of a tree's agents: one global sequence over all leaves, each zone a contiguous
/// range as long as its share, each agent of a zone a part proportional to its weight.
///
/// Every agent receives its own segment and the whole sequence, so VUs and iterations are
/// striped consistently across the fleet and the union of all agents' work is the whole test.
public struct SegmentAssignment: Sendable, Hashable {
    /// One agent that joined a leaf zone.
    public struct Agent: Sendable, Hashable {
        public var id: String
        /// Relative capacity (default 1): an agent of weight 2 gets twice the share of one of 1.
        public var weight: Int64

        public init(id: String, weight: Int64 = 1) {
            self.id = id
            self.weight = weight
        }
    }

    /// An agent with the zone it runs in and its segment.
    public struct Leaf: Sendable, Hashable {
        public let zonePath: [String]
        public let agent: Agent
        public let segment: ExecutionSegment
    }

    public let sequence: ExecutionSegmentSequence
    public let leaves: [Leaf]

    /// Splits the whole test for `topology`, with the agents that joined each leaf zone (keyed by
    /// the zone path joined with "/"; agents in the order they should appear).
    public init(topology: Topology, agents: [String: [Agent]]) throws(AssignmentError) {
        var leaves: [Leaf] = []
        func assign(_ zones: [Topology.Zone], in range: ExecutionSegment, prefix: [String]) throws(AssignmentError) {
            let shares = try Self.shares(zones, path: prefix)
            let parts: [ExecutionSegment]
            do { parts = try range.split(weights: shares) } catch {
                throw .tooFine(path: prefix.joined(separator: "/"), reason: "\(error)")
            }
            for (zone, part) in zip(zones, parts) {
                let path = prefix + [zone.name]
                if !zone.zones.isEmpty {
                    try assign(zone.zones, in: part, prefix: path)
                    continue
                }
                let joined = agents[path.joined(separator: "/")] ?? []
                guard !joined.isEmpty else { throw .noAgents(zone: path.joined(separator: "/")) }
                guard joined.allSatisfy({ $0.weight > 0 }) else { throw .badWeight(zone: path.joined(separator: "/")) }
                let agentParts: [ExecutionSegment]
                do { agentParts = try part.split(weights: joined.map(\.weight)) } catch {
                    throw .tooFine(path: path.joined(separator: "/"), reason: "\(error)")
                }
                for (agent, segment) in zip(joined, agentParts) {
                    leaves.append(Leaf(zonePath: path, agent: agent, segment: segment))
                }
            }
        }
        guard !topology.zones.isEmpty else { throw .noZones }
        try assign(topology.zones, in: .full, prefix: [])
        do {
            let sequence = try ExecutionSegmentSequence(segments: leaves.map(\.segment))
            // Striping the whole fleet must be possible; a tuple for the first leaf proves it.
            _ = try ExecutionTuple(segment: leaves[0].segment, sequence: sequence)
            self.sequence = sequence
        } catch {
            throw .tooFine(path: "", reason: "\(error)")
        }
        self.leaves = leaves
    }

    /// The integer weights of a level's zones: their shares over a common denominator, or all 1
    /// when no zone gives one.
    static func shares(_ zones: [Topology.Zone], path: [String]) throws(AssignmentError) -> [Int64] {
        let given = zones.compactMap(\.share)
        if given.isEmpty { return zones.map { _ in 1 } }
        let level = path.isEmpty ? "the top level" : "zone \(path.joined(separator: "/"))"
        guard given.count == zones.count else { throw .mixedShares(level: level) }
        var total = Rational.zero
        for share in given {
            guard let sum = try? total + share else { throw .tooFine(path: path.joined(separator: "/"), reason: "shares overflow") }
            total = sum
        }
        guard total == .one else { throw .sharesDoNotSumToWhole(level: level, total: total) }
        var lcm: Int64 = 1
        for share in given {
            let g = Int64(Rational.gcd(UInt128(lcm), UInt128(share.denominator)))
            let (product, overflow) = (lcm / g).multipliedReportingOverflow(by: share.denominator)
            guard !overflow else { throw .tooFine(path: path.joined(separator: "/"), reason: "share denominators too large") }
            lcm = product
        }
        return given.map { $0.numerator * (lcm / $0.denominator) }
    }
}

/// Why a topology could not be turned into segments.
public enum AssignmentError: Error, Sendable, Hashable, CustomStringConvertible {
    case noZones
    case noAgents(zone: String)
    case badWeight(zone: String)
    case mixedShares(level: String)
    case sharesDoNotSumToWhole(level: String, total: Rational)
    case tooFine(path: String, reason: String)

    public var description: String {
        switch self {
        case .noZones: "the topology has no zones"
        case .noAgents(let zone): "zone \(zone) has no agents; start agents with --zone \(zone) or remove the zone"
        case .badWeight(let zone): "an agent of zone \(zone) has a weight below 1"
        case .mixedShares(let level): "at \(level), give every zone a share or none (equal split)"
        case .sharesDoNotSumToWhole(let level, let total): "the shares at \(level) sum to \(total), not 100%"
        case .tooFine(let path, let reason): "cannot split \(path.isEmpty ? "the test" : path) exactly: \(reason)"
        }
    }
}
