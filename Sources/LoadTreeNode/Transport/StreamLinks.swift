import LoadTreeWire
import Synchronization

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

/// Messages to the parent, queued for the writer of the current upstream stream. The node
/// keeps this one link while streams come and go (a reconnect installs a new one); what is
/// sent while there is none is dropped, and the node sends what matters again once the
/// stream is back (``RelayNode/resyncUpstream()``).
public final class UpStreamLink: NodeLink {
    private struct State {
        var stream: AsyncStream<UpFrame>.Continuation?
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    public func send(_ message: UpMessage) { yield(.node(message)) }

    func sendSubtree(_ leaves: [TreeLeaf]) { yield(.subtree(leaves)) }

    private func yield(_ frame: UpFrame) {
        _ = state.withLock { $0.stream?.yield(frame) }
    }

    /// A new stream to the parent: frames go to it from now on. Nil once the link was closed.
    func open() -> AsyncStream<UpFrame>? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.stream?.finish()
            let (stream, continuation) = AsyncStream.makeStream(of: UpFrame.self)
            state.stream = continuation
            return stream
        }
    }

    /// Ends the current stream and every later one: this node is done with its parent.
    func close() {
        state.withLock { state in
            state.closed = true
            state.stream?.finish()
            state.stream = nil
        }
    }
}
