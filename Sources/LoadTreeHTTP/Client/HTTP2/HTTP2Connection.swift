import NIOCore
import NIOPosix
import Synchronization

/// An HTTP/2 client connection as a session or a pool holds it: the channel, its handler
/// (reachable only on the channel's loop) and the state readable from anywhere.
///
/// Many requests may run on it at once, each as its own stream. A class, so handing it from a
/// pool to a request costs one retain rather than one per field.
final class HTTP2Connection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTP2ClientHandler>
    let state: HTTP2ConnectionState
    /// What TLS settled on; nil for h2c.
    let tls: TLSConnectionInfo?

    init(channel: any Channel, handler: NIOLoopBound<HTTP2ClientHandler>, state: HTTP2ConnectionState, tls: TLSConnectionInfo?) {
        self.channel = channel
        self.handler = handler
        self.state = state
        self.tls = tls
    }

    /// The event loop the connection (and its handler) runs on.
    var eventLoop: any EventLoop { handler.eventLoop }

    /// Open, and the server has not asked us to go away.
    var isUsable: Bool { state.acceptsStreams.load(ordering: .relaxed) && channel.isActive }

    /// Tickets that tell a cancelled request's stream apart from its neighbours.
    private static let tickets = Atomic<UInt64>(0)

    /// Runs one request as a stream; returns when it ends (always exactly once). `ready` is when
    /// the caller had the connection in hand.
    ///
    /// With a `canceller` (the VU handles cancellation once for all its requests) no
    /// cancellation handler is installed: the canceller resets the stream, and a request
    /// starting after it fired fails at once. Without one, cancelling the calling task resets
    /// only this stream.
    func exchange(
        _ request: HTTPRequest, deadline: NIODeadline, ready: NIODeadline, canceller: ConnectionCanceller?
    ) async -> ExchangeResult {
        if let canceller {
            return await withUnsafeContinuation { continuation in
                submit(request, owner: .session(canceller), deadline: deadline, ready: ready, continuation: continuation)
            }
        }
        let ticket = Self.tickets.add(1, ordering: .relaxed).newValue
        let handler = self.handler
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { continuation in
                submit(request, owner: .ticket(ticket), deadline: deadline, ready: ready, continuation: continuation)
            }
        } onCancel: {
            handler.eventLoop.execute { handler.value.cancel(ticket: ticket) }
        }
    }

    /// Resets every stream `canceller` owns here (other sessions' streams go on).
    func cancelStreams(of canceller: ConnectionCanceller) {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.cancel(owner: canceller) }
    }

    /// Hands the request to the handler on its loop: directly when already there (a VU running
    /// on its connection's loop), else as a task on it.
    private func submit(
        _ request: HTTPRequest, owner: HTTP2StreamOwner, deadline: NIODeadline, ready: NIODeadline,
        continuation: UnsafeContinuation<ExchangeResult, Never>
    ) {
        let handler = self.handler
        if handler.eventLoop.inEventLoop {
            handler.value.start(request, owner: owner, deadline: deadline, ready: ready, continuation: continuation)
        } else {
            handler.eventLoop.execute {
                handler.value.start(request, owner: owner, deadline: deadline, ready: ready, continuation: continuation)
            }
        }
    }

    /// Opens an HTTP/2 connection to `url` through `session`'s connect path: h2c with prior
    /// knowledge for `http`, TLS with ALPN `h2` for `https` (a server that does not choose h2
    /// is a failed request that says so).
    static func connect(
        to url: HTTPURL, using session: HTTPSession, deadline: NIODeadline
    ) async -> Result<(HTTP2Connection, EstablishedChannel), HTTPFailure> {
        let established: EstablishedChannel
        switch await session.establish(url, alpn: .h2, deadline: deadline) {
        case .success(let value): established = value
        case .failure(let failure): return .failure(failure)
        }
        if url.scheme == .https, established.negotiatedProtocol != ALPNOffer.h2Identifier {
            established.channel.close(promise: nil)
            let chosen = established.negotiatedProtocol.map { "\"\($0)\"" } ?? "no protocol"
            return .failure(
                .http2ProtocolError(
                    "\(url.authority) did not choose h2 by ALPN (it chose \(chosen)); use http version \"auto\" or \"1.1\" for it"
                )
            )
        }
        return await attach(established).map { ($0, established) }
    }

    /// Puts the HTTP/2 handler on an established channel (h2c, or after ALPN chose h2).
    static func attach(_ established: EstablishedChannel) async -> Result<HTTP2Connection, HTTPFailure> {
        let channel = established.channel
        do {
            let (handler, state) = try await channel.eventLoop.submit {
                let state = HTTP2ConnectionState()
                let handler = HTTP2ClientHandler(state: state)
                try EarlyInboundBuffer.hand(channel, to: handler)
                return (NIOLoopBound(handler, eventLoop: channel.eventLoop), state)
            }.get()
            return .success(HTTP2Connection(channel: channel, handler: handler, state: state, tls: established.tls))
        } catch {
            channel.close(promise: nil)
            return .failure(HTTP1ConnectionHandler.failure(for: error))
        }
    }
}
