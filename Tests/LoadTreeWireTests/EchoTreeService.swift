import GRPCCore
import LoadTreeWire

/// A stand-in parent for the stream tests: answers Hello with Welcome (or a Rejection for a
/// protocol version it does not speak) and every MetricBatch with the MetricAck of its
/// sequence. The real parent is the node's business; this only proves the wire carries the
/// exchange both ways.
struct EchoTreeService: Loadtree_V1_Tree.SimpleServiceProtocol {
    static let runID = "run-echo"

    func attach(
        request: RPCAsyncSequence<Loadtree_V1_Up, any Error>,
        response: RPCWriter<Loadtree_V1_Down>,
        context: ServerContext
    ) async throws {
        var first = true
        for try await up in request {
            if first {
                first = false
                guard case .hello = up.message else {
                    try await response.write(.with {
                        $0.rejection = .with {
                            $0.reason = .malformed
                            $0.message = "the first message on an Attach stream must be a Hello"
                            $0.supportedProtocolVersions = WireVersion.supported
                        }
                    })
                    return
                }
            }
            switch up.message {
            case .hello(let hello):
                guard WireVersion.isSupported(hello.protocolVersion) else {
                    try await response.write(.with {
                        $0.rejection = .with {
                            $0.reason = .protocolVersion
                            $0.message = "protocol version \(hello.protocolVersion) is not supported (this parent speaks \(WireVersion.current))"
                            $0.supportedProtocolVersions = WireVersion.supported
                        }
                    })
                    return
                }
                try await response.write(.with {
                    $0.welcome = .with {
                        $0.nodeID = hello.nodeID.isEmpty ? "assigned-1" : hello.nodeID
                        $0.protocolVersion = WireVersion.current
                        $0.runID = Self.runID
                    }
                })
            case .metricBatch(let batch):
                try await response.write(.with { $0.metricAck = .with { $0.sequence = batch.sequence } })
            default:
                break  // The echo parent has nothing to say to the rest.
            }
        }
    }

    func status(
        request: Loadtree_V1_StatusRequest,
        context: ServerContext
    ) async throws -> Loadtree_V1_StatusReply {
        .with {
            $0.runID = Self.runID
            $0.phase = .running
            $0.protocolVersion = WireVersion.current
            $0.nodeID = "echo"
        }
    }

    func abort(
        request: Loadtree_V1_AbortRequest,
        context: ServerContext
    ) async throws -> Loadtree_V1_AbortReply {
        .with {
            $0.accepted = true
            $0.message = "aborting: \(request.reason)"
        }
    }
}
