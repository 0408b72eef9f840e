import GRPCCore
import LoadTreeCore
import LoadTreeWire

/// The child side of the tree's gRPC service: one `Attach` stream to the parent carrying the
/// node's messages up and the parent's down.
///
/// The node is created with ``link`` as its parent link; ``run(client:hello:)`` then says Hello,
/// waits for Welcome, and pumps messages both ways until the stream ends.
public struct UpstreamConnection: Sendable {
    public let link: UpStreamLink
    private let ups: AsyncStream<UpMessage>

    public init() {
        let (stream, continuation) = AsyncStream.makeStream(of: UpMessage.self)
        self.ups = stream
        self.link = UpStreamLink(continuation: continuation)
    }

    /// Why the parent did not take this node.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case rejected(String)
        case noWelcome

        public var description: String {
            switch self {
            case .rejected(let message): "the parent rejected this node: \(message)"
            case .noWelcome: "the parent closed the stream without a Welcome"
            }
        }
    }

    /// Attaches `node` to its parent through `client` and runs until the stream ends.
    public func run<Transport: ClientTransport>(
        client: Loadtree_V1_Tree.Client<Transport>, hello: Loadtree_V1_Hello, node: RelayNode
    ) async throws {
        let ups = self.ups
        try await client.attach { writer in
            try await writer.write(.with { $0.hello = hello })
            for await message in ups {
                // A batch whose histogram cannot be encoded is dropped with its reason lost;
                // it cannot happen with histograms this process recorded.
                guard let up = try? message.wire() else { continue }
                try await writer.write(up)
            }
        } onResponse: { response in
            var welcomed = false
            for try await down in response.messages {
                switch down.message {
                case .welcome: welcomed = true
                case .rejection(let rejection): throw Failure.rejected(rejection.message)
                default:
                    guard welcomed else { throw Failure.noWelcome }
                    if let message = DownMessage(wire: down) { await node.received(message) }
                }
            }
            if !welcomed { throw Failure.noWelcome }
        }
    }

    /// Ends the stream to the parent.
    public func close() {
        link.continuation.finish()
    }
}
