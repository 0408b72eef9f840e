import GRPCCore
import LoadTreeCore
import LoadTreeWire

/// What the tree's service asks of the process it runs in, beyond the children: answers for
/// `loadtree status` and `loadtree abort`.
public protocol TreeOperations: Sendable {
    func status() async -> Loadtree_V1_StatusReply
    /// Aborts the test; false when there is nothing to abort.
    func abort(reason: String) async -> Bool
}

/// The parent side of the tree's gRPC service: each child's `Attach` stream becomes a child of
/// the node's ``ChildHub``. The first message must be a Hello speaking our protocol that the
/// hub's policy admits; then messages flow both ways until the stream ends, which detaches the
/// child. A broken peer is rejected with a reason — at its Hello, or later when a message it
/// sends cannot be decoded — and the others are not affected (during the run, losing a child
/// aborts the test: see ``ChildHub``).
public struct TreeService: Loadtree_V1_Tree.SimpleServiceProtocol {
    public let hub: ChildHub
    public let runID: String
    public let operations: any TreeOperations

    public init(hub: ChildHub, runID: String, operations: any TreeOperations) {
        self.hub = hub
        self.runID = runID
        self.operations = operations
    }

    public func attach(
        request: RPCAsyncSequence<Loadtree_V1_Up, any Error>,
        response: RPCWriter<Loadtree_V1_Down>,
        context: ServerContext
    ) async throws {
        var ups = request.makeAsyncIterator()
        guard case .hello(let hello)? = try await ups.next()?.message else {
            try await response.write(Self.rejection(.malformed("the first message on an Attach stream must be a Hello")))
            return
        }
        guard WireVersion.isSupported(hello.protocolVersion) else {
            try await response.write(Self.rejection(.protocolVersion(hello.protocolVersion)))
            return
        }
        let (downs, link) = AsyncStream.makeStream(of: Loadtree_V1_Down.self)
        let child: JoinedChild
        let generation: Int
        do throws(JoinRejection) {
            if hello.runID.isEmpty {
                (child, generation) = try await hub.join(JoinedChild(hello: hello), link: DownStreamLink(continuation: link))
            } else {
                // A node of this run coming back after a lost stream.
                guard hello.runID == runID else { throw .wrongRun(node: hello.nodeID, runID: hello.runID) }
                (child, generation) = try await hub.rejoin(hello.nodeID, link: DownStreamLink(continuation: link))
            }
        } catch {
            try await response.write(Self.rejection(error))
            return
        }
        try await response.write(.with {
            $0.welcome = .with {
                $0.nodeID = child.id
                $0.protocolVersion = WireVersion.current
                $0.runID = runID
            }
        })
        let hub = self.hub
        let id = child.id
        // The iterator moves to the reader task below; this function never touches it again,
        // so there is no concurrent use (the compiler cannot see that it was handed over).
        nonisolated(unsafe) var remaining = ups
        // The stream ends when either side ends it: the child closing its messages, or this
        // node closing the child's (the test is over, it never started, or the child is
        // refused). Each task says whether the writer must still drain what is queued.
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    for await down in downs { try await response.write(down) }
                } catch {
                    // The child is gone: the reader sees the same.
                }
                return false
            }
            group.addTask {
                do {
                    // The series numbers this stream defined (see SeriesNumbering).
                    var directory = SeriesDirectory()
                    while let up = try await remaining.next() {
                        if case .subtreeUpdate(let update) = up.message {
                            await hub.update(id, subtree: update.leaves.map(TreeLeaf.init(wire:)))
                            continue
                        }
                        let message: UpMessage?
                        do throws(MetricBatchError) {
                            if case .metricBatch(let batch) = up.message {
                                // Merged by the node straight from the wire form (most of a
                                // relay's work); the definitions go in here, merged or not.
                                try MetricBatchCoding.define(batch, directory: &directory)
                                directory = try await hub.received(batch, from: id, directory: directory)
                                continue
                            }
                            message = try UpMessage(wire: up, directory: &directory)
                        } catch {
                            // Never merged, never acknowledged: the child is refused, and its
                            // rejection must reach it before the stream ends.
                            await hub.misbehaved(id, generation: generation, .malformed("node \(id) sent a batch that cannot be counted: \(error)"))
                            return true
                        }
                        if let message { await hub.received(message, from: id) }
                    }
                } catch {
                    // The stream broke: handled below like its end.
                }
                return false
            }
            if await group.next() == true { _ = await group.next() }
            group.cancelAll()
            link.finish()
        }
        await hub.leave(id, generation: generation)
    }

    public func status(request: Loadtree_V1_StatusRequest, context: ServerContext) async throws -> Loadtree_V1_StatusReply {
        await operations.status()
    }

    public func abort(request: Loadtree_V1_AbortRequest, context: ServerContext) async throws -> Loadtree_V1_AbortReply {
        let reason = request.reason.isEmpty ? "aborted by an operator" : "aborted by an operator: \(request.reason)"
        let accepted = await operations.abort(reason: reason)
        return .with {
            $0.accepted = accepted
            $0.message = accepted ? "aborting the test" : "there is no running test to abort"
        }
    }

    static func rejection(_ rejection: JoinRejection) -> Loadtree_V1_Down {
        .with {
            $0.rejection = .with {
                $0.reason = rejection.wireReason
                $0.message = rejection.description
                $0.supportedProtocolVersions = WireVersion.supported
            }
        }
    }
}
