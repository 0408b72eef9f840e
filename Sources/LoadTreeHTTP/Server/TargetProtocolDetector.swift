import NIOCore
import NIOHTTP1
import NIOHTTP2

/// The first handler of every target connection: reads until it can tell an HTTP/2 client
/// preface (h2c with prior knowledge) from an HTTP/1.x request, then builds the matching
/// pipeline and hands it the bytes read so far.
///
/// One port serving both protocols lets a plan switch `http: {version: "2"}` on and off
/// against the same `loadtree target` without a second listener.
final class TargetProtocolDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The client connection preface of RFC 9113 section 3.4.
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let routes: TargetRoutes
    private var buffered: ByteBuffer?

    init(routes: TargetRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        if buffered == nil {
            buffered = chunk
        } else {
            buffered?.writeBuffer(&chunk)
        }
        guard let bytes = buffered else { return }
        let seen = min(bytes.readableBytes, Self.preface.count)
        let matches = bytes.readableBytesView.prefix(seen).elementsEqual(Self.preface.prefix(seen))
        if matches, seen < Self.preface.count { return }  // wait for the rest of the preface
        do {
            if matches {
                try configureHTTP2(context: context)
            } else {
                try context.pipeline.syncOperations.configureHTTPServerPipeline(
                    withPipeliningAssistance: true, withErrorHandling: true
                )
                try context.pipeline.syncOperations.addHandler(TargetHandler(routes: routes))
            }
        } catch {
            context.close(promise: nil)
            return
        }
        buffered = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func configureHTTP2(context: ChannelHandlerContext) throws {
        let routes = self.routes
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.targetWindowSize = 16 * 1024 * 1024
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = 4 * 1024 * 1024
        _ = try context.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: connection, streamConfiguration: stream
        ) { streamChannel in
            streamChannel.eventLoop.makeCompletedFuture {
                try streamChannel.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                try streamChannel.pipeline.syncOperations.addHandler(TargetHandler(routes: routes))
            }
        }
    }
}
