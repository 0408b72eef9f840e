/// What a VU does in an iteration: the seam between the engine (when iterations run) and the
/// flow interpreter (what they do). Tests plug in small fakes.
///
/// Each VU owns one `State` (connections, variables, cookies) for its whole life; the engine
/// never shares it between VUs, so it need not be `Sendable`.
public protocol Workload: Sendable {
    associatedtype State

    /// Creates the state of a new VU.
    func makeState(for vu: VUIdentity) async -> State

    /// Runs one iteration. Returns normally when the iteration completed, and throws when it
    /// failed; cancellation (a hard stop) shows as `CancellationError` or `Task.isCancelled`.
    func iterate(_ state: inout State, _ iteration: IterationInfo) async throws

    /// Where a new VU's task should run (nil: the default concurrency pool). A workload doing
    /// network I/O returns an executor on the VU's event loop so that requests need no thread
    /// hop; the state made inside that task then lives on the same loop.
    func vuExecutor() -> (any TaskExecutor)?

    /// Runs a VU's whole life (`body`, all its iterations) with whatever the state needs around
    /// it: a workload doing network I/O installs one cancellation handler here rather than one
    /// per request.
    func live<R>(_ state: inout State, _ body: (inout State) async -> R) async -> R
}

extension Workload {
    public func vuExecutor() -> (any TaskExecutor)? { nil }

    public func live<R>(_ state: inout State, _ body: (inout State) async -> R) async -> R {
        await body(&state)
    }
}

/// A VU's numbers: 1-based local (on this node) and global (in the whole test) ids, as the
/// reference's `__VU` and `exec.vu.idInTest`.
public struct VUIdentity: Sendable, Hashable {
    public let local: Int64
    public let global: Int64

    public init(local: Int64, global: Int64) {
        self.local = local
        self.global = global
    }
}

/// The iteration being run: its scenario, its 0-based ids, and for arrival-rate executors the
/// instant the schedule intended it to start (so latency can be measured from there).
public struct IterationInfo: Sendable {
    public let scenario: String
    public let vu: VUIdentity
    /// 0-based, among the iterations this node runs in the scenario.
    public let inInstance: Int64
    /// 0-based, in the whole test: the same whichever node runs it.
    public let inTest: Int64
    /// Nanoseconds on the run clock at which the schedule wanted this iteration to start.
    public let intendedStart: Int64?

    public init(scenario: String, vu: VUIdentity, inInstance: Int64, inTest: Int64, intendedStart: Int64?) {
        self.scenario = scenario
        self.vu = vu
        self.inInstance = inInstance
        self.inTest = inTest
        self.intendedStart = intendedStart
    }
}
