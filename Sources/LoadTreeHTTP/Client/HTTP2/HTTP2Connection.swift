import NIOCore
import NIOPosix
import Synchronization

/// An HTTP/2 client connection as a session or a pool holds it: the channel, its handler
/// (reachable only on the channel's loop) and the state readable from anywhere.
///
/// Many requests may run on it at once, each as its own stream.
struct HTTP2Connection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTP2ClientHandler>
    let state: HTTP2ConnectionState

    /// Open, and the server has not asked us to go away.
    var isUsable: Bool { channel.isActive && state.acceptsStreams.load(ordering: .relaxed) }

    /// Requests in flight on this connection.
    var openStreams: Int { state.openStreams.load(ordering: .relaxed) }

    /// Tickets that tell a cancelled request's stream apart from its neighbours.
    private static let tickets = Atomic<UInt64>(0)

    /// Runs one request as a stream; returns when it ends (always exactly once). Cancelling the
    /// calling task resets only this stream.
    func exchange(_ request: HTTPRequest, deadline: NIODeadline) async -> ExchangeResult {
        let ticket = Self.tickets.add(1, ordering: .relaxed).newValue
        let handler = self.handler
        let loop = channel.eventLoop
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { continuation in
                if loop.inEventLoop {
                    handler.value.start(request, ticket: ticket, deadline: deadline, continuation: continuation)
                } else {
                    loop.execute {
                        handler.value.start(request, ticket: ticket, deadline: deadline, continuation: continuation)
                    }
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(ticket: ticket) }
        }
    }

    /// Opens an h2c connection (prior knowledge) to `url` on `eventLoop`, within the connect
    /// timeout and the request deadline, whichever ends first.
    static func connect(
        to url: HTTPURL, on eventLoop: any EventLoop, connectTimeout: Duration, deadline: NIODeadline
    ) async -> Result<HTTP2Connection, HTTPFailure> {
        let remaining = deadline - .now()
        let connectLimit = TimeAmount.nanoseconds(connectTimeout.nanosecondsClamped)
        let limitedByRequest = remaining < connectLimit
        guard remaining > .zero else { return .failure(.requestTimeout) }
        // Each attempted channel (happy eyeballs may try several) gets its own handler, found
        // again by channel identity; looking it up in the pipeline after connecting would miss
        // it when the server already closed the connection.
        let created = CreatedHandlers()
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(limitedByRequest ? remaining : connectLimit)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let state = HTTP2ConnectionState()
                    let handler = HTTP2ClientHandler(state: state)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    created.record(channel, NIOLoopBound(handler, eventLoop: channel.eventLoop), state)
                }
            }
        do {
            let channel: any Channel
            if let address = try? SocketAddress(ipAddress: url.host, port: url.port) {
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: url.host, port: url.port).get()
            }
            guard let (handler, state) = created.take(channel) else {
                channel.close(promise: nil)
                return .failure(.connectionFailed("the HTTP/2 handler of the new connection is missing"))
            }
            return .success(HTTP2Connection(channel: channel, handler: handler, state: state))
        } catch {
            var failure = HTTPSession.connectFailure(error, url: url)
            if failure == .connectTimeout && limitedByRequest { failure = .requestTimeout }
            return .failure(failure)
        }
    }
}

/// Handlers made by a connect's channel initializer, by channel.
private final class CreatedHandlers: Sendable {
    private let handlers = Mutex<[ObjectIdentifier: (NIOLoopBound<HTTP2ClientHandler>, HTTP2ConnectionState)]>([:])

    func record(_ channel: any Channel, _ handler: NIOLoopBound<HTTP2ClientHandler>, _ state: HTTP2ConnectionState) {
        handlers.withLock { $0[ObjectIdentifier(channel)] = (handler, state) }
    }

    func take(_ channel: any Channel) -> (NIOLoopBound<HTTP2ClientHandler>, HTTP2ConnectionState)? {
        handlers.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
