import LoadTreeCore
import Synchronization
@testable import LoadTreeNode

/// A link that hands messages to an async stream, read by the receiving node's loop.
struct StreamLink<Message: Sendable>: NodeLink {
    let continuation: AsyncStream<Message>.Continuation
    func send(_ message: Message) { continuation.yield(message) }
}

/// Which nodes saw the abort, and why.
final class AbortLog: Sendable {
    private let entries = Mutex<[String: String]>([:])
    func record(_ node: String, _ reason: String) { entries.withLock { $0[node] = reason } }
    var all: [String: String] { entries.withLock { $0 } }
}

/// Nodes wired in memory, each receiving on its own task, as they would over gRPC.
struct InMemoryTree {
    let nodes: [String: RelayNode]
    let aborts = AbortLog()
    private(set) var tasks: [Task<Void, Never>] = []

    /// `shape`: (id, parent id, has engine), parents before their children.
    init(_ shape: [(id: String, parent: String?, engine: Bool)], releaseLeads: [String: Duration] = [:]) async {
        var nodes: [String: RelayNode] = [:]
        for entry in shape {
            let children = shape.filter { $0.parent == entry.id }.map(\.id)
            let id = entry.id
            let log = aborts
            guard let parentID = entry.parent, let parent = nodes[parentID] else {
                nodes[id] = RelayNode(id: id, parent: nil, children: children, hasEngine: entry.engine, releaseLeads: releaseLeads) { reason, _ in
                    log.record(id, reason)
                }
                continue
            }
            let (up, upContinuation) = AsyncStream.makeStream(of: UpMessage.self)
            let (down, downContinuation) = AsyncStream.makeStream(of: DownMessage.self)
            let node = RelayNode(id: id, parent: StreamLink(continuation: upContinuation), children: children, hasEngine: entry.engine) { reason, _ in
                log.record(id, reason)
            }
            nodes[id] = node
            await parent.attach(id, link: StreamLink(continuation: downContinuation))
            tasks.append(Task { for await message in up { await parent.received(message, from: id) } })
            tasks.append(Task { for await message in down { await node.received(message) } })
        }
        self.nodes = nodes
    }

    func stop() {
        for task in tasks { task.cancel() }
    }
}
