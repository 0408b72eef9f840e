import NIOCore
import NIOTLS

/// What a finished TLS handshake tells the connect path.
struct TLSHandshakeOutcome: Sendable {
    /// When the TCP connection became active (the handshake's start).
    var connectedAt: NIODeadline
    /// When the handshake completed.
    var finishedAt: NIODeadline
    /// The protocol the server chose by ALPN, or nil if it chose none.
    var negotiatedProtocol: String?
}

/// Sits behind the TLS handler while a client connection is set up: stamps when TCP came up
/// and when the handshake finished, and completes the connect path's promise once, with the
/// negotiated protocol or with the error that ended the handshake. It removes itself after,
/// so it costs nothing per request.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<TLSHandshakeOutcome>
    private var connectedAt: NIODeadline?
    private var done = false

    init(promise: EventLoopPromise<TLSHandshakeOutcome>) {
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { connectedAt = .now() }
    }

    func channelActive(context: ChannelHandlerContext) {
        connectedAt = connectedAt ?? .now()
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = tls, !done {
            done = true
            let now = NIODeadline.now()
            promise.succeed(
                TLSHandshakeOutcome(connectedAt: connectedAt ?? now, finishedAt: now, negotiatedProtocol: negotiated)
            )
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(ChannelError.eof)
    }

    /// Fails the promise unless it is already complete (a connect that failed before the
    /// channel existed is failed by the connect path itself).
    func fail(_ error: any Error) {
        guard !done else { return }
        done = true
        promise.fail(error)
    }
}
