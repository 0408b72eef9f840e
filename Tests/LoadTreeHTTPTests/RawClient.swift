import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Writes raw bytes to a server and collects what comes back, for tests that need requests
/// the LoadTree client would never send (pipelined, malformed).
enum RawClient {
    /// Sends `bytes` to 127.0.0.1:`port` and returns everything received until the server
    /// closes the connection or `until` returns true for the text so far, or `limit` passes.
    static func exchange(
        port: Int, bytes: [UInt8], limit: Duration = .seconds(3), until: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collector = Collector(until: until)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CollectingHandler(collector: collector))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline, !collector.isDone {
            try await Task.sleep(for: .milliseconds(10))
        }
        try? await channel.close()
        try? await group.shutdownGracefully()
        return collector.text
    }
}

private final class Collector: Sendable {
    private let state = NIOLockedValueBox((bytes: [UInt8](), done: false))
    private let until: @Sendable (String) -> Bool

    init(until: @escaping @Sendable (String) -> Bool) {
        self.until = until
    }

    var text: String { String(decoding: state.withLockedValue { $0.bytes }, as: UTF8.self) }
    var isDone: Bool { state.withLockedValue { $0.done } }

    func append(_ bytes: [UInt8]) {
        let text = state.withLockedValue { value -> String in
            value.bytes += bytes
            return String(decoding: value.bytes, as: UTF8.self)
        }
        if until(text) { finish() }
    }

    func finish() {
        state.withLockedValue { $0.done = true }
    }
}

private final class CollectingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let collector: Collector

    init(collector: Collector) {
        self.collector = collector
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        collector.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) {
        collector.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        collector.finish()
        context.close(promise: nil)
    }
}
