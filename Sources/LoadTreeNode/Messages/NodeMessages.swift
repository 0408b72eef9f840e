import LoadTreeCore

/// What a child tells its parent, independent of the transport (the gRPC link maps these to
/// `loadtree.v1.Up`; tests pass them in memory).
public enum UpMessage: Sendable, Equatable {
    case barrierArrive(String)
    case barrierFail(String, message: String)
    case onceAsk(String)
    case onceResult(String, OnceCoordinator.Outcome)
    /// An interval of metrics, numbered per sender so a resend is never counted twice.
    case metrics(sender: String, sequence: UInt64, IntervalAggregate)
    case abort(reason: String, code: RunExitCode)
    /// When the agents of the sender's subtree started their scenarios.
    case started(StartReport)
}

/// When a set of agents started their scenarios (wall clock, Unix ns): the tree's start skew is
/// `latest - earliest` over every agent.
public struct StartReport: Sendable, Hashable {
    public var earliest: Int64
    public var latest: Int64
    public var agents: Int

    public init(earliest: Int64, latest: Int64, agents: Int) {
        self.earliest = earliest
        self.latest = latest
        self.agents = agents
    }

    /// The spread between the first and the last agent to start.
    public var skew: Duration { .nanoseconds(latest - earliest) }

    /// Both reports as one.
    public func combined(with other: StartReport) -> StartReport {
        StartReport(earliest: min(earliest, other.earliest), latest: max(latest, other.latest), agents: agents + other.agents)
    }
}

/// What a parent tells a child.
public enum DownMessage: Sendable, Equatable {
    /// Every node arrived at the barrier: go on, at the wall-clock instant `at` (Unix ns) when
    /// the root chose one (the synchronised start), else on receipt.
    case barrierRelease(String, at: Int64?)
    case barrierFail(String, message: String)
    case onceRun(String)
    case onceValue(String, OnceCoordinator.Outcome)
    case metricsAck(UInt64)
    case abort(reason: String, code: RunExitCode)
}

/// One direction of a connection to a neighbour. Sending never blocks the node: a link
/// queues what it cannot write at once, in order.
public protocol NodeLink<Message>: Sendable {
    associatedtype Message: Sendable
    func send(_ message: Message)
}

/// Why a node's local call failed.
public enum NodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case barrierFailed(String, message: String)
    case aborted(reason: String, code: RunExitCode)

    public var description: String {
        switch self {
        case .barrierFailed(let id, let message): "barrier \(id) failed: \(message)"
        case .aborted(let reason, let code): "the test was aborted (\(code.rawValue)): \(reason)"
        }
    }
}

/// Barriers of the tree itself, beyond the run's lifecycle (`RunBarrier`).
public enum TreeBarrier {
    /// Every node finished its part (final metrics sent, teardown done or abandoned). Unlike
    /// the others it still completes after an abort, so every process learns that the test is
    /// over and exits on its own; its release is the tree's *terminate*.
    public static let finished = "run-finished"
}
