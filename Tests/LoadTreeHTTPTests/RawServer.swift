import NIOCore
import NIOPosix
import Synchronization

/// A deliberately broken HTTP server for failure tests: on each read it writes a fixed reply
/// and then closes or keeps the connection as its mode says.
final class RawServer: Sendable {
    enum Mode: Sendable {
        /// Write `bytes` on the first read, then close.
        case replyThenClose([UInt8])
        /// Write `bytes` on every read, keep the connection open.
        case replyAndKeepOpen([UInt8])
        /// Never answer (the client must time out).
        case silent
    }

    let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let accepted: Counter

    /// TCP connections accepted so far.
    var acceptedConnections: Int { accepted.value.load(ordering: .relaxed) }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, accepted: Counter) {
        self.port = port
        self.channel = channel
        self.group = group
        self.accepted = accepted
    }

    static func start(_ mode: Mode) async throws -> RawServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = Counter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.value.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawHandler(mode: mode))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawServer(port: channel.localAddress?.port ?? 0, channel: channel, group: group, accepted: accepted)
    }

    func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class RawHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let mode: RawServer.Mode

    init(mode: RawServer.Mode) {
        self.mode = mode
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch mode {
        case .replyThenClose(let bytes):
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .replyAndKeepOpen(let bytes):
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
        case .silent:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
