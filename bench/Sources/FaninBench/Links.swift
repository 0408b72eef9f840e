import LoadTreeCore
import LoadTreeNode
import LoadTreeWire
import SwiftProtobuf
import Synchronization

/// The parent link of a measured node: encodes every message to wire bytes, as the gRPC link
/// does before writing it, and keeps the metric batches' bytes (what the next level receives).
final class WireCaptureLink: NodeLink, Sendable {
    private let captured = Mutex<[[UInt8]]>([])

    func send(_ message: UpMessage) {
        guard let bytes: [UInt8] = try? message.wire().serializedBytes() else { return }
        if case .metrics = message { captured.withLock { $0.append(bytes) } }
    }

    /// The batches sent so far, emptied.
    func take() -> [[UInt8]] { captured.withLock { batches in defer { batches = [] }; return batches } }
}

/// A child's link: the ack is encoded as the gRPC link would, then dropped.
struct AckEncodingLink: NodeLink {
    func send(_ message: DownMessage) {
        _ = try? (message.wire.serializedBytes() as [UInt8])
    }
}

/// Wire bytes of one agent's batch for one second.
func wireBytes(_ interval: IntervalAggregate, sender: String, sequence: UInt64) -> [UInt8] {
    guard let up = try? UpMessage.metrics(sender: sender, sequence: sequence, interval).wire(),
        let bytes: [UInt8] = try? up.serializedBytes()
    else { fatalError("a generated batch must encode") }
    return bytes
}

/// Decodes wire bytes as the tree service does and hands the message to `node`.
func deliver(_ bytes: [UInt8], from child: String, to node: RelayNode) async {
    guard let up = try? Loadtree_V1_Up(serializedBytes: bytes), let message = try? UpMessage(wire: up) else {
        fatalError("a generated batch must decode")
    }
    await node.received(message, from: child)
}
