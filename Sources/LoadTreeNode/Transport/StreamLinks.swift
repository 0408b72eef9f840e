import LoadTreeWire

/// Messages to a child, queued for its stream's writer (in order, never blocking the node).
struct DownStreamLink: NodeLink {
    let continuation: AsyncStream<Loadtree_V1_Down>.Continuation

    func send(_ message: DownMessage) { continuation.yield(message.wire) }

    func sendWire(_ down: Loadtree_V1_Down) { continuation.yield(down) }

    /// Refuses the child and ends its stream.
    func reject(_ rejection: JoinRejection) {
        continuation.yield(TreeService.rejection(rejection))
        continuation.finish()
    }

    func finish() { continuation.finish() }
}

/// What goes up a node's stream: the node's messages, and while the tree assembles, the
/// relay's current subtree.
enum UpFrame: Sendable {
    case node(UpMessage)
    case subtree([TreeLeaf])
}

/// Messages to the parent, queued for the upstream stream's writer.
public struct UpStreamLink: NodeLink {
    let continuation: AsyncStream<UpFrame>.Continuation

    public func send(_ message: UpMessage) { continuation.yield(.node(message)) }

    func sendSubtree(_ leaves: [TreeLeaf]) { continuation.yield(.subtree(leaves)) }
}
