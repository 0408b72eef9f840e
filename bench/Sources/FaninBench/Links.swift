import LoadTreeCore
import LoadTreeNode
import LoadTreeWire
import SwiftProtobuf
import Synchronization

/// The parent link of a measured node: encodes every message to wire bytes, as the gRPC link
/// does before writing it, and keeps the metric batches' bytes (what the next level receives).
final class WireCaptureLink: NodeLink, Sendable {
    private let captured = Mutex<(batches: [[UInt8]], numbering: SeriesNumbering)>(([], SeriesNumbering()))

    func send(_ message: UpMessage) {
        captured.withLock { state in
            guard let bytes: [UInt8] = try? message.wire(numbering: &state.numbering).serializedBytes() else { return }
            if case .metrics = message { state.batches.append(bytes) }
        }
    }

    /// The batches sent so far, emptied.
    func take() -> [[UInt8]] { captured.withLock { state in defer { state.batches = [] }; return state.batches } }
}

/// A child's link: the ack is encoded as the gRPC link would, then dropped.
struct AckEncodingLink: NodeLink {
    func send(_ message: DownMessage) {
        _ = try? (message.wire.serializedBytes() as [UInt8])
    }
}

/// Wire bytes of one agent's batch for one second, on the stream whose series `numbering`
/// numbers (the first batch of a stream defines its series, later ones refer to them).
func wireBytes(_ interval: IntervalAggregate, sender: String, sequence: UInt64, numbering: inout SeriesNumbering) -> [UInt8] {
    guard let up = try? UpMessage.metrics(sender: sender, sequence: sequence, interval).wire(numbering: &numbering),
        let bytes: [UInt8] = try? up.serializedBytes()
    else { fatalError("a generated batch must encode") }
    return bytes
}

/// Wire bytes of a batch that stands alone (every series named in full).
func wireBytes(_ interval: IntervalAggregate, sender: String, sequence: UInt64) -> [UInt8] {
    var standalone = SeriesNumbering(enabled: false)
    return wireBytes(interval, sender: sender, sequence: sequence, numbering: &standalone)
}

/// Decodes wire bytes as the tree service does (with the stream's series `directory`) and
/// hands the message to `node`.
func deliver(_ bytes: [UInt8], from child: String, to node: RelayNode, directory: inout SeriesDirectory) async {
    // As a child's stream hands it over: definitions into the stream's table, then the batch
    // merged by the node from its wire form.
    guard let up = try? Loadtree_V1_Up(serializedBytes: bytes), case .metricBatch(let batch) = up.message,
        (try? MetricBatchCoding.define(batch, directory: &directory)) != nil,
        let resolved = try? await node.received(batch, from: child, directory: directory)
    else {
        fatalError("a generated batch must decode")
    }
    directory = resolved
}

/// Each child's batches for `seconds` + 1 seconds, encoded on the child's own stream: second 0
/// defines the series (delivered before measuring: a stream does it once), the rest refer to
/// them, as every batch of a running test does.
func streamBatches(_ intervals: [IntervalAggregate], senders: [String], seconds: Int) -> [[[UInt8]]] {
    var numberings = senders.map { _ in SeriesNumbering() }
    return (0...seconds).map { second in
        senders.indices.map { wireBytes(intervals[$0], sender: senders[$0], sequence: UInt64(second + 1), numbering: &numberings[$0]) }
    }
}
