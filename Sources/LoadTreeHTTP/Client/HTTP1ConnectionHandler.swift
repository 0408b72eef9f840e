import NIOCore
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The channel handler of one client connection: writes a request, parses its response,
/// resumes the waiting VU. One request at a time (no pipelining), as a VU does.
///
/// Everything per request lives here, on the connection's event loop, so the hot path takes
/// no lock. The session calls `start` directly (through `NIOLoopBound`, on the loop) rather
/// than writing a message through the pipeline, and the handler resumes a continuation rather
/// than a promise: no boxing, no promise or callback allocations per request. Every `start`
/// resumes its continuation exactly once, even on a closed connection. The request timeout
/// uses one lazily re-armed timer per connection instead of scheduling and cancelling a task
/// per request.
final class HTTP1ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct InFlight {
        var continuation: UnsafeContinuation<ExchangeResult, Never>
        var result: ExchangeResult
        var deadline: NIODeadline
    }

    private var parser = ResponseParser()
    private var inFlight: InFlight?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var context: ChannelHandlerContext?
    private var isClosed = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        isClosed = true
        timer?.cancel()
        timer = nil
    }

    /// Writes `command`'s request and resumes `continuation` with the outcome. On the loop
    /// only; `started` is the loop's clock as it began.
    func start(_ command: ExchangeCommand, at started: NIODeadline, continuation: UnsafeContinuation<ExchangeResult, Never>) {
        var result = ExchangeResult(started: started)
        guard inFlight == nil else {
            result.failure = .connectionFailed("a request is already in flight on this connection")
            continuation.resume(returning: result)
            return
        }
        guard !isClosed, let context else {
            result.failure = .connectionReset
            result.closesConnection = true
            continuation.resume(returning: result)
            return
        }
        parser.reset(
            isHeadRequest: command.isHeadRequest, keepHeaders: command.keepHeaders, keepBody: command.keepBody
        )
        result.bytesSent = command.bytes.readableBytes
        inFlight = InFlight(continuation: continuation, result: result, deadline: command.deadline)
        armTimer(for: command.deadline, context: context)
        if command.bytes.readableBytes > 64 * 1024 {
            // Large bodies may not fit the socket buffer: "sent" is when the write completes.
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(command.bytes), promise: written)
            inFlight?.result.sent = .now()
            written.futureResult.assumeIsolated().whenSuccess { [weak self] in
                guard let self, self.inFlight != nil else { return }
                self.inFlight?.result.sent = .now()
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(command.bytes), promise: nil)
            inFlight?.result.sent = .now()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard inFlight != nil else {
            // Bytes nobody asked for: the connection is out of sync and must not be reused.
            context.close(promise: nil)
            return
        }
        if inFlight?.result.firstByte == nil {
            inFlight?.result.firstByte = .now()
        }
        inFlight?.result.bytesReceived += buffer.readableBytes
        switch parser.feed(buffer) {
        case .needMore:
            break
        case .complete(let leftover):
            inFlight?.result.bytesReceived -= leftover
            finish(context: context, failure: nil, extraBytes: leftover > 0)
        case .failed(let problem):
            finish(context: context, failure: .badResponse(problem), extraBytes: false)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        if let current = inFlight {
            switch parser.finishOnClose() {
            case .complete:
                finish(context: context, failure: nil, extraBytes: false)
            case .needMore, .failed:
                if current.result.bytesReceived == 0 {
                    finish(context: context, failure: .connectionReset, extraBytes: false)
                } else {
                    finish(
                        context: context,
                        failure: .badResponse(
                            "the server closed the connection after \(current.result.bytesReceived) bytes, before the response was complete"
                        ),
                        extraBytes: false
                    )
                }
            }
        }
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if inFlight != nil {
            finish(context: context, failure: Self.failure(for: error), extraBytes: false)
        }
        context.close(promise: nil)
    }

    private func finish(context: ChannelHandlerContext, failure: HTTPFailure?, extraBytes: Bool) {
        guard let current = inFlight else { return }
        inFlight = nil
        var result = current.result
        result.finished = .now()
        if let failure {
            result.failure = failure
            result.closesConnection = true
        } else {
            result.status = parser.status
            result.minorVersion = parser.minorVersion
            result.headers = parser.takeHeaders()
            result.body = parser.keepsBody ? parser.takeBody() : nil
            result.bodyWireBytes = parser.bodyWireBytes
            result.isGzip = parser.isGzip
            result.location = parser.location
            result.closesConnection = parser.closesConnection || extraBytes
        }
        current.continuation.resume(returning: result)
        if result.closesConnection && failure == nil {
            context.close(promise: nil)
        }
    }

    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let timerDeadline, timerDeadline <= deadline, timer != nil {
            return  // fires earlier and re-arms itself for the current deadline
        }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard let current = inFlight, let context else { return }
        if current.deadline > .now() {
            armTimer(for: current.deadline, context: context)
            return
        }
        finish(context: context, failure: .requestTimeout, extraBytes: false)
        context.close(promise: nil)
    }

    /// Maps a socket error to the failure a user can act on.
    static func failure(for error: any Error) -> HTTPFailure {
        if let failure = error as? HTTPFailure { return failure }
        // A TLS peer that closes without close_notify has reset the connection (e.g. an idle
        // keep-alive connection closed as it was reused).
        if let sslError = error as? NIOSSLError, sslError == .uncleanShutdown { return .connectionReset }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNRESET, EPIPE:
                return .connectionReset
            case ECONNREFUSED:
                return .connectionRefused("the server")
            case ETIMEDOUT:
                return .connectTimeout
            default:
                return .connectionFailed(String(describing: ioError))
            }
        }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .connectTimeout:
                return .connectTimeout
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return .connectionReset
            default:
                return .connectionFailed(String(describing: channelError))
            }
        }
        return .connectionFailed(String(describing: error))
    }
}
