import LoadTreeCore

/// What a run shares with the rest of its test tree: the lifecycle barriers every node passes
/// together, and the bodies (setup, teardown) that run exactly once in the whole test, whose
/// result (setup's captures, read as `${setup.NAME}`) reaches every node.
///
/// `loadtree run` is a tree of one node: ``LocalCoordinator`` passes barriers at once and runs
/// bodies itself. A tree's agent plugs in its node instead, with the same run code.
public protocol RunCoordinator: Sendable {
    /// Waits until every node of the test reached barrier `id`.
    func signalAndWait(_ id: String) async throws

    /// Runs `body` once under `id` in the whole test and returns its result everywhere.
    func once(_ id: String, _ body: @escaping @Sendable () async throws -> [String: String]) async throws -> [String: String]

    /// Takes one interval of this node's metrics (every ``metricInterval`` during the run, and
    /// the rest at its end) to send up the tree.
    func report(_ interval: IntervalAggregate) async

    /// How often ``report(_:)`` is called; nil: never (a local run keeps its metrics).
    var metricInterval: Duration? { get }

    /// The scenarios started on this node at `unixNanoseconds` (wall clock), so a tree can
    /// measure how far apart its agents started.
    func scenariosStarted(atUnixNanoseconds unixNanoseconds: Int64) async
}

extension RunCoordinator {
    public func scenariosStarted(atUnixNanoseconds unixNanoseconds: Int64) async {}
}

/// The lifecycle barriers of a run, in order, with the reference's names.
public enum RunBarrier {
    public static let initDone = "scheduler-init-done"
    public static let readyToRunSetup = "test-ready-to-run-setup"
    public static let setupDone = "setup-done"
    public static let executionDone = "execution-done"
    public static let teardownDone = "teardown-done"
}

/// The coordinator of a tree of one node.
public struct LocalCoordinator: RunCoordinator {
    public init() {}

    public func signalAndWait(_ id: String) async throws {}

    public func once(_ id: String, _ body: @escaping @Sendable () async throws -> [String: String]) async throws -> [String: String] {
        try await body()
    }

    public func report(_ interval: IntervalAggregate) async {}

    public var metricInterval: Duration? { nil }
}
