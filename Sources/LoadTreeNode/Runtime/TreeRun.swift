import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire

/// One process's part in a test tree, for every role: the root (children, no parent), a relay
/// (parent and children) and an agent (parent and a local engine). The same steps in the same
/// order for all: assemble the children, get the assignment (the root computes it), build the
/// ``RelayNode`` for it, pass it down, run the local engine if any, and end when the tree's
/// ``TreeBarrier/finished`` is released.
public actor TreeRun: TreeOperations {
    public let settings: NodeSettings
    /// The children's side, when this node takes children.
    public let hub: ChildHub?
    public nonisolated let runID: String

    // The state below is internal, not private, only so that the role extensions
    // (TreeRun+Root, TreeRun+Member, TreeRun+Operations) can use it; it is actor-isolated.
    var node: RelayNode?
    var phase = RunPhase.waitingForNodes
    var expectedAgents: Int?
    let clock = RunClock()
    var startedAt: Int64?
    var endedAt: Int64?
    let aborts: AsyncStream<(String, RunExitCode)>
    let abortsContinuation: AsyncStream<(String, RunExitCode)>.Continuation
    var welcomed = false
    var connectTimedOut = false
    /// The parent's run id, sent back when attaching again after a lost stream.
    var parentRunID: String?
    var rewelcomed = false
    /// How long a lost stream may take to come back (the root's setting).
    var grace: Duration = .seconds(10)
    /// This node's part is over: a stream ending now is expected.
    var done = false

    public init(settings: NodeSettings, hub: ChildHub?, runID: String = UUID().uuidString) {
        self.settings = settings
        self.hub = hub
        self.runID = runID
        (aborts, abortsContinuation) = AsyncStream.makeStream(of: (String, RunExitCode).self)
    }

    /// The node for the assigned test: its parent link, the children it was shared among,
    /// and aborts from anywhere in the tree delivered to the local run.
    func makeNode(parent: UpStreamLink?, children: [JoinedChild], metricInterval: Duration, releaseLeads: [String: Duration],
                  onInterval: (@Sendable (IntervalAggregate) -> Void)? = nil) -> RelayNode {
        let continuation = abortsContinuation
        let node = RelayNode(id: settings.id, parent: parent, children: children.map(\.id), hasEngine: parent != nil && settings.runsLoad,
                             metricInterval: metricInterval, releaseLeads: releaseLeads, onAbort: { reason, code in continuation.yield((reason, code)) },
                             onInterval: onInterval)
        self.node = node
        return node
    }

    /// Sends what the subtree recorded upward (the root: into its totals) every interval.
    func flushEvery(_ interval: Duration, node: RelayNode) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            await node.flushMetrics()
        }
    }
}
