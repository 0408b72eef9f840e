import LoadTreeWire

/// Why a parent refused a child. The child's operator reads the message: it says what is wrong
/// and what would be accepted.
public enum JoinRejection: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case protocolVersion(UInt32)
    case duplicateNodeID(String)
    case unknownZone(node: String, zone: String, known: [String])
    case notExpected(String)
    case runStarted(node: String)
    case wrongRun(node: String, runID: String)

    public var description: String {
        switch self {
        case .malformed(let message): message
        case .protocolVersion(let version):
            "protocol version \(version) is not supported (this node speaks \(WireVersion.current)); use loadtree of the same release on every node"
        case .duplicateNodeID(let id): "node id \(id) is already taken in this tree; give every node its own --id"
        case .unknownZone(let node, let zone, let known):
            zone.isEmpty
                ? "node \(node) names no zone; pass --zone with one of: \(known.joined(separator: ", "))"
                : "zone \"\(zone)\" of node \(node) is not known here; known zones: \(known.joined(separator: ", "))"
        case .notExpected(let message): message
        case .runStarted(let node): "node \(node) arrived after the test was assigned; no more nodes are taken"
        case .wrongRun(let node, let runID): "node \(node) comes back to run \(runID), which is not this one; restart it to join a new run"
        }
    }

    var wireReason: Loadtree_V1_RejectionReason {
        switch self {
        case .malformed: .malformed
        case .protocolVersion: .protocolVersion
        case .duplicateNodeID: .duplicateNodeID
        case .unknownZone: .unknownZone
        case .notExpected: .notExpected
        case .runStarted: .runStarted
        case .wrongRun: .wrongRun
        }
    }
}
