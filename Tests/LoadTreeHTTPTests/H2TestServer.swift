import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization

/// A frame-level HTTP/2 server for the failure cases the embedded target never produces:
/// `GET /goaway` answers with GOAWAY (refusing that stream) and closes the connection,
/// `GET /reset` resets its stream with INTERNAL_ERROR; anything else gets 200 "ok".
final class H2TestServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let accepted: Counter

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// TCP connections accepted so far.
    var acceptedConnections: Int { accepted.value.load(ordering: .relaxed) }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, accepted: Counter) {
        self.port = port
        self.channel = channel
        self.group = group
        self.accepted = accepted
    }

    static func start() async throws -> H2TestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = Counter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.value.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .server))
                    try channel.pipeline.syncOperations.addHandler(FrameResponder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return H2TestServer(port: channel.localAddress?.port ?? 0, channel: channel, group: group, accepted: accepted)
    }

    func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Answers request HEADERS frames directly, without a stream multiplexer.
    private final class FrameResponder: ChannelInboundHandler {
        typealias InboundIn = HTTP2Frame
        typealias OutboundOut = HTTP2Frame

        private var lastAnswered = HTTP2StreamID(0)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            guard case .headers(let headers) = frame.payload else { return }
            let path = headers.headers.first(name: ":path") ?? "/"
            switch path {
            case "/goaway":
                let goAway = HTTP2Frame(
                    streamID: .rootStream,
                    payload: .goAway(lastStreamID: lastAnswered, errorCode: .noError, opaqueData: nil)
                )
                context.writeAndFlush(wrapOutboundOut(goAway)).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            case "/reset":
                context.writeAndFlush(
                    wrapOutboundOut(HTTP2Frame(streamID: frame.streamID, payload: .rstStream(.internalError))), promise: nil
                )
            default:
                lastAnswered = frame.streamID
                let head = HTTP2Frame(
                    streamID: frame.streamID,
                    payload: .headers(.init(headers: HPACKHeaders([(":status", "200"), ("content-length", "2")])))
                )
                context.write(wrapOutboundOut(head), promise: nil)
                let body = HTTP2Frame(
                    streamID: frame.streamID, payload: .data(.init(data: .byteBuffer(ByteBuffer(string: "ok")), endStream: true))
                )
                context.writeAndFlush(wrapOutboundOut(body), promise: nil)
            }
        }
    }
}
