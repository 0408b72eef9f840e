import LoadTreeWire

/// Where a node's test is in its life, as `loadtree status` shows it.
public enum RunPhase: Sendable, Hashable, CustomStringConvertible {
    case waitingForNodes
    case starting
    case running
    case stopping
    case finished
    case aborted

    public var description: String {
        switch self {
        case .waitingForNodes: "waiting for nodes"
        case .starting: "starting"
        case .running: "running"
        case .stopping: "stopping"
        case .finished: "finished"
        case .aborted: "aborted"
        }
    }

    var wire: Loadtree_V1_RunPhase {
        switch self {
        case .waitingForNodes: .waitingForNodes
        case .starting: .starting
        case .running: .running
        case .stopping: .stopping
        case .finished: .finished
        case .aborted: .aborted
        }
    }

    public init(wire: Loadtree_V1_RunPhase) {
        switch wire {
        case .starting: self = .starting
        case .running: self = .running
        case .stopping: self = .stopping
        case .finished: self = .finished
        case .aborted: self = .aborted
        default: self = .waitingForNodes
        }
    }
}
