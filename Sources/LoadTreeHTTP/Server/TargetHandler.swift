import NIOCore
import NIOHTTP1

/// Serves one connection of the embedded target: collects each request, asks `TargetRoutes`
/// for the reply, writes it (after a delay if the route wants one, via the event loop's
/// scheduler so no thread sleeps).
///
/// Sits behind NIO's pipelining handler, which holds later requests back until a reply is
/// complete, so a delayed reply never overtakes or interleaves with the next one.
final class TargetHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: TargetRoutes
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false
    /// Set when the connection closed, so a delayed reply that fires later writes nothing.
    private var isClosed = false

    init(routes: TargetRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > TargetRoutes.maxBytes {
                bodyTooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            routes.stats.requests.add(1, ordering: .relaxed)
            let reply = bodyTooLarge
                ? TargetReply.text(413, "request bodies are limited to \(TargetRoutes.maxBytes) bytes")
                : routes.reply(to: TargetRequest(head: requestHead, body: body))
            if reply.delay > .zero {
                context.eventLoop.assumeIsolated().scheduleTask(in: reply.delay) {
                    self.write(reply, for: requestHead, context: context)
                }
            } else {
                write(reply, for: requestHead, context: context)
            }
        }
    }

    private func write(_ reply: TargetReply, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard !isClosed else { return }
        var headers = HTTPHeaders(reply.headers)
        let hasBody = reply.status != 204 && reply.status != 304
        if hasBody {
            headers.add(name: "Content-Length", value: String(reply.body.readableBytes))
        }
        // An HTTP/2 stream ends with its response; connection headers are forbidden there.
        let keepAlive = request.version.major >= 2 || request.isKeepAlive
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        let head = HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if hasBody, request.method != .HEAD, reply.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(reply.body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isClosed = true
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
