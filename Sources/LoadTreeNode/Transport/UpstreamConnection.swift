import GRPCCore
import LoadTreeCore
import LoadTreeWire

/// The child side of the tree's gRPC service: one `Attach` stream to the parent, carrying the
/// node's messages up and the parent's down.
///
/// ``run(client:hello:onEvent:)`` says Hello, waits for Welcome, then hands every message
/// from the parent to `onEvent`, in order, until the stream ends. Messages to send go through
/// ``link`` (the node's parent link) and ``sendSubtree(_:)``.
public struct UpstreamConnection: Sendable {
    /// The node's parent link: the same across reconnects.
    public let link = UpStreamLink()

    public init() {}

    /// What the parent said.
    public enum Event: Sendable {
        case welcomed(runID: String)
        case assigned(TreeAssignment)
        case message(DownMessage)
    }

    /// Why the parent did not take this node, or dropped it.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case rejected(String)
        case noWelcome
        case badAssignment(String)

        public var description: String {
            switch self {
            case .rejected(let message): "the parent rejected this node: \(message)"
            case .noWelcome: "the parent closed the stream without a Welcome"
            case .badAssignment(let message): "the parent sent an assignment this node cannot use: \(message)"
            }
        }
    }

    /// Tells the parent the leaves below this relay (while the tree assembles).
    public func sendSubtree(_ leaves: [TreeLeaf]) {
        link.sendSubtree(leaves)
    }

    /// Attaches to the parent through `client` and runs until the stream ends. It may be called
    /// again after a lost stream (a reconnect); messages then go to the new stream.
    public func run<Transport: ClientTransport>(
        client: Loadtree_V1_Tree.Client<Transport>, hello: Loadtree_V1_Hello, options: CallOptions = .defaults,
        onEvent: @escaping @Sendable (Event) async -> Void
    ) async throws {
        guard let ups = link.open() else { return }
        try await client.attach(options: options) { writer in
            try await writer.write(.with { $0.hello = hello })
            // Series are numbered per stream: a new stream (a reconnect) defines them again.
            var numbering = SeriesNumbering()
            for await frame in ups {
                switch frame {
                case .node(let message):
                    // A batch whose histogram cannot be encoded is dropped; it cannot happen
                    // with histograms this process recorded.
                    guard let up = try? message.wire(numbering: &numbering) else { continue }
                    try await writer.write(up)
                case .subtree(let leaves):
                    try await writer.write(.with {
                        $0.subtreeUpdate = .with {
                            $0.agentsInSubtree = UInt32(clamping: leaves.count)
                            $0.leaves = leaves.map(\.wire)
                        }
                    })
                }
            }
        } onResponse: { response in
            var welcomed = false
            for try await down in response.messages {
                switch down.message {
                case .welcome(let welcome):
                    welcomed = true
                    await onEvent(.welcomed(runID: welcome.runID))
                case .rejection(let rejection): throw Failure.rejected(rejection.message)
                case .assignment(let assignment):
                    guard welcomed else { throw Failure.noWelcome }
                    do { await onEvent(.assigned(try TreeAssignment(wire: assignment))) } catch {
                        throw Failure.badAssignment("\(error)")
                    }
                default:
                    guard welcomed else { throw Failure.noWelcome }
                    if let message = DownMessage(wire: down) { await onEvent(.message(message)) }
                }
            }
            if !welcomed { throw Failure.noWelcome }
        }
    }

    /// Ends the stream to the parent for good.
    public func close() {
        link.close()
    }
}
