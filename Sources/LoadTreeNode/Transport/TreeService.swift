import GRPCCore
import LoadTreeCore
import LoadTreeWire

/// The parent side of the tree's gRPC service: each child's `Attach` stream becomes a child of
/// the node. The first message must be a Hello from an expected child speaking our protocol;
/// then node messages flow both ways until the stream ends, which detaches the child.
public struct TreeService: Loadtree_V1_Tree.SimpleServiceProtocol {
    public let node: RelayNode
    public let runID: String

    public init(node: RelayNode, runID: String) {
        self.node = node
        self.runID = runID
    }

    public func attach(
        request: RPCAsyncSequence<Loadtree_V1_Up, any Error>,
        response: RPCWriter<Loadtree_V1_Down>,
        context: ServerContext
    ) async throws {
        var ups = request.makeAsyncIterator()
        guard case .hello(let hello)? = try await ups.next()?.message else {
            try await response.write(Self.rejection(.malformed, "the first message on an Attach stream must be a Hello"))
            return
        }
        guard WireVersion.isSupported(hello.protocolVersion) else {
            try await response.write(Self.rejection(.protocolVersion, "protocol version \(hello.protocolVersion) is not supported (this node speaks \(WireVersion.current))"))
            return
        }
        guard node.expectedChildren.contains(hello.nodeID) else {
            try await response.write(Self.rejection(.notExpected, "node \(hello.nodeID) is not expected here; expected \(node.expectedChildren.sorted().joined(separator: ", "))"))
            return
        }
        let child = hello.nodeID
        try await response.write(.with {
            $0.welcome = .with {
                $0.nodeID = child
                $0.protocolVersion = WireVersion.current
                $0.runID = runID
            }
        })
        let (downs, link) = AsyncStream.makeStream(of: DownMessage.self)
        await node.attach(child, link: DownStreamLink(continuation: link))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await down in downs { try await response.write(down.wire) }
            }
            defer { link.finish() }
            do {
                while let up = try await ups.next() {
                    // A batch that does not decode is a broken peer: it is dropped, not merged.
                    guard let message = try? UpMessage(wire: up) else { continue }
                    await node.received(message, from: child)
                }
            } catch {
                // The stream broke: handled below like its end.
            }
            await node.detach(child)
            group.cancelAll()
        }
    }

    public func status(request: Loadtree_V1_StatusRequest, context: ServerContext) async throws -> Loadtree_V1_StatusReply {
        .with {
            $0.runID = runID
            $0.protocolVersion = WireVersion.current
            $0.nodeID = node.id
        }
    }

    public func abort(request: Loadtree_V1_AbortRequest, context: ServerContext) async throws -> Loadtree_V1_AbortReply {
        await node.abort(reason: request.reason.isEmpty ? "aborted by an operator" : request.reason, code: .stoppedByOperator)
        return .with {
            $0.accepted = true
            $0.message = "aborting the test"
        }
    }

    static func rejection(_ reason: Loadtree_V1_RejectionReason, _ message: String) -> Loadtree_V1_Down {
        .with {
            $0.rejection = .with {
                $0.reason = reason
                $0.message = message
                $0.supportedProtocolVersions = WireVersion.supported
            }
        }
    }
}

/// Messages to a child, queued for its stream's writer.
struct DownStreamLink: NodeLink {
    let continuation: AsyncStream<DownMessage>.Continuation
    func send(_ message: DownMessage) { continuation.yield(message) }
}

/// Messages to the parent, queued for the upstream stream's writer.
public struct UpStreamLink: NodeLink {
    let continuation: AsyncStream<UpMessage>.Continuation
    public func send(_ message: UpMessage) { continuation.yield(message) }
}
