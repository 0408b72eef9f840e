import GRPCCore
import GRPCInProcessTransport
import LoadTreeWire
import Testing

/// The generated service and client over GRPCCore's in-process transport: a child attaches,
/// says Hello, waits for Welcome, then sends metric batches one at a time and waits for each
/// ack, so both directions of the one long-lived stream are exercised in turn.
@Suite("Attach stream over the in-process transport", .timeLimit(.minutes(1)))
struct AttachStreamTests {
    static func hello(version: UInt32 = WireVersion.current) -> Loadtree_V1_Up {
        .with {
            $0.hello = .with {
                $0.nodeID = "agent-7"
                $0.zone = "eu-west"
                $0.weight = 1
                $0.role = .agent
                $0.protocolVersion = version
                $0.agentsInSubtree = 1
            }
        }
    }

    static func batch(_ sequence: UInt64) -> Loadtree_V1_Up {
        .with {
            $0.metricBatch = .with {
                $0.sender = "agent-7"
                $0.sequence = sequence
                $0.intervalStartNs = Int64(sequence - 1) * 1_000_000_000
                $0.intervalEndNs = Int64(sequence) * 1_000_000_000
                $0.entries = [.with { $0.name = "http_reqs"; $0.counter = .with { $0.sum = 10; $0.count = 10 } }]
            }
        }
    }

    /// Runs an in-process server with `EchoTreeService` and hands a generated client to `body`.
    static func withEchoTree<T: Sendable>(
        _ body: @escaping @Sendable (Loadtree_V1_Tree.Client<InProcessTransport.Client>) async throws -> T
    ) async throws -> T {
        try await withTimeout(.seconds(30)) {
            let transport = InProcessTransport()
            return try await withGRPCServer(transport: transport.server, services: [EchoTreeService()]) { _ in
                try await withGRPCClient(transport: transport.client) { client in
                    try await body(Loadtree_V1_Tree.Client(wrapping: client))
                }
            }
        }
    }

    @Test("Hello → Welcome, then each MetricBatch → its MetricAck, interleaved on one stream")
    func helloAndBatches() async throws {
        let sequences: [UInt64] = [1, 2, 3, 5, 8]
        let conversation = try await Self.withEchoTree { tree in
            // The response handler forwards what arrives to the producer, which waits for each
            // answer before sending the next message: a real request/answer conversation. The
            // producer hands what it saw back through a second stream.
            let (downs, downsIn) = AsyncStream.makeStream(of: Loadtree_V1_Down.self)
            let (outcome, outcomeIn) = AsyncStream.makeStream(of: Conversation.self)
            return try await tree.attach { writer in
                defer { outcomeIn.finish() }
                var answers = downs.makeAsyncIterator()
                try await writer.write(Self.hello())
                guard case .welcome(let welcome)? = await answers.next()?.message else {
                    throw ExchangeFailure.unexpected("no Welcome after Hello")
                }
                var acks: [UInt64] = []
                for sequence in sequences {
                    try await writer.write(Self.batch(sequence))
                    guard case .metricAck(let ack)? = await answers.next()?.message else {
                        throw ExchangeFailure.unexpected("no MetricAck after batch \(sequence)")
                    }
                    acks.append(ack.sequence)
                }
                outcomeIn.yield(Conversation(welcome: welcome, acks: acks))
            } onResponse: { response in
                for try await down in response.messages {
                    downsIn.yield(down)
                }
                downsIn.finish()
                for await conversation in outcome {
                    return conversation
                }
                throw ExchangeFailure.unexpected("the producer ended without finishing the conversation")
            }
        }
        let welcome = conversation.welcome
        let acks = conversation.acks
        let received = welcome
        #expect(received.nodeID == "agent-7")
        #expect(received.protocolVersion == WireVersion.current)
        #expect(received.runID == EchoTreeService.runID)
        #expect(acks == sequences)
    }

    @Test("a Hello with an unsupported protocol version gets a Rejection and the stream ends")
    func rejection() async throws {
        let downs = try await Self.withEchoTree { tree in
            try await tree.attach { writer in
                try await writer.write(Self.hello(version: WireVersion.current + 1))
            } onResponse: { response in
                var all: [Loadtree_V1_Down] = []
                for try await down in response.messages { all.append(down) }
                return all
            }
        }
        #expect(downs.count == 1)
        guard case .rejection(let rejection)? = downs.first?.message else {
            Issue.record("expected a Rejection, got \(downs)")
            return
        }
        #expect(rejection.reason == .protocolVersion)
        #expect(rejection.supportedProtocolVersions == WireVersion.supported)
        #expect(rejection.message.contains("protocol version \(WireVersion.current + 1)"))
    }

    @Test("a stream that does not start with Hello is rejected as malformed")
    func firstMessageMustBeHello() async throws {
        let downs = try await Self.withEchoTree { tree in
            try await tree.attach { writer in
                try await writer.write(Self.batch(1))
            } onResponse: { response in
                var all: [Loadtree_V1_Down] = []
                for try await down in response.messages { all.append(down) }
                return all
            }
        }
        guard case .rejection(let rejection)? = downs.first?.message else {
            Issue.record("expected a Rejection, got \(downs)")
            return
        }
        #expect(downs.count == 1)
        #expect(rejection.reason == .malformed)
    }

    @Test("Status and Abort answer over the same service")
    func unaryCalls() async throws {
        let (status, abort) = try await Self.withEchoTree { tree in
            let status = try await tree.status(Loadtree_V1_StatusRequest())
            let abort = try await tree.abort(.with { $0.reason = "operator" })
            return (status, abort)
        }
        #expect(status.runID == EchoTreeService.runID)
        #expect(status.phase == .running)
        #expect(status.protocolVersion == WireVersion.current)
        #expect(abort.accepted)
        #expect(abort.message == "aborting: operator")
    }
}

/// What the child saw in `helloAndBatches`.
struct Conversation: Sendable {
    let welcome: Loadtree_V1_Welcome
    let acks: [UInt64]
}

enum ExchangeFailure: Error, CustomStringConvertible {
    case unexpected(String)

    var description: String {
        switch self {
        case .unexpected(let what): "unexpected exchange: \(what)"
        }
    }
}
