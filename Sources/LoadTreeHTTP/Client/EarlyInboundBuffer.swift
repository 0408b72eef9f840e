import NIOCore

/// Holds the bytes a connection receives before its protocol handler is in the pipeline, and
/// hands them to that handler when it is removed.
///
/// The connect path finishes TCP (and TLS) first and adds the HTTP/1.1 or HTTP/2 handler
/// afterwards, once it knows which one (ALPN). An HTTP/2 server speaks first (its SETTINGS):
/// without this buffer those bytes would reach the end of the pipeline and be lost.
final class EarlyInboundBuffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var pending: [NIOAny] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pending.isEmpty { context.fireChannelReadComplete() }
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        let held = pending
        pending = []
        for data in held {
            context.fireChannelRead(data)
        }
        if !held.isEmpty { context.fireChannelReadComplete() }
        context.leavePipeline(removalToken: removalToken)
    }

    /// Adds `handler` after the buffer and removes the buffer, replaying what it held. On the
    /// channel's loop only.
    static func hand(_ channel: any Channel, to handler: some ChannelHandler) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(handler)
        let buffer = try operations.context(handlerType: EarlyInboundBuffer.self)
        operations.removeHandler(context: buffer, promise: nil)
    }
}
