import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire

/// `loadtree status` and `loadtree abort`, answered by any node for its subtree.
extension TreeRun {

    public func status() async -> Loadtree_V1_StatusReply {
        let children = await hub?.children ?? []
        let missing = phase == .waitingForNodes ? await hub?.missing ?? [] : []
        let abort = await node?.abortState
        let elapsed = startedAt.map { (endedAt ?? clock.now()) - $0 } ?? 0
        return .with {
            $0.runID = runID
            $0.phase = phase.wire
            $0.protocolVersion = WireVersion.current
            $0.nodeID = settings.id
            $0.elapsedNs = elapsed
            $0.agentsAttached = UInt32(clamping: children.flatMap(\.leaves).count)
            $0.agentsExpected = UInt32(clamping: expectedAgents ?? 0)
            $0.children = children.map { child in
                .with {
                    $0.nodeID = child.id
                    $0.zone = child.zone
                    $0.role = child.role == .relay ? .relay : .agent
                    $0.agentsInSubtree = UInt32(clamping: child.leaves.count)
                }
            }
            $0.missing = missing
            if let abort {
                $0.abort = .with {
                    $0.reason = abort.reason
                    $0.exitCode = abort.code.rawValue
                }
            }
        }
    }

    public func abort(reason: String) async -> Bool {
        await abort(reason: reason, code: .stoppedByOperator)
    }

    /// Aborts the test from this node (an operator, Ctrl-C at the root).
    @discardableResult
    public func abort(reason: String, code: RunExitCode) async -> Bool {
        guard let node, !(await node.isFinished), await node.abortState == nil else { return false }
        await node.abort(reason: reason, code: code)
        return true
    }
}
