import NIOCore
import NIOPosix
import NIOSSL

/// A connection the connect path has set up (TCP, and TLS for `https`), before any HTTP
/// protocol handler is on it: HTTP/1.1 and HTTP/2 both start from here.
struct EstablishedChannel: Sendable {
    let channel: any Channel
    /// Name resolution and the TCP connect.
    let connecting: Duration
    /// The TLS handshake; zero for plain HTTP.
    let tlsHandshaking: Duration
    /// The TLS outcome; nil for plain HTTP.
    let tls: TLSConnectionInfo?

    /// The protocol chosen by ALPN (nil for plain HTTP or when the server chose none).
    var negotiatedProtocol: String? { tls?.negotiatedProtocol }
}

extension HTTPSession {
    /// Opens an HTTP/1.1 connection to `url`'s host and port within the connect timeout and
    /// the request deadline, whichever ends first.
    func connect(_ url: HTTPURL, deadline: NIODeadline) async -> Result<(ClientConnection, EstablishedChannel), HTTPFailure> {
        let established: EstablishedChannel
        switch await establish(url, alpn: .http1, deadline: deadline) {
        case .success(let value): established = value
        case .failure(let failure): return .failure(failure)
        }
        return await attachHTTP1(established).map { ($0, established) }
    }

    /// Puts the HTTP/1.1 handler on an established channel (also after ALPN chose HTTP/1.1).
    func attachHTTP1(_ established: EstablishedChannel) async -> Result<ClientConnection, HTTPFailure> {
        let channel = established.channel
        do {
            let handler = try await channel.eventLoop.submit {
                let handler = HTTP1ConnectionHandler()
                try EarlyInboundBuffer.hand(channel, to: handler)
                return NIOLoopBound(handler, eventLoop: channel.eventLoop)
            }.get()
            guard channel.isActive else {
                channel.close(promise: nil)
                return .failure(.connectionReset)
            }
            return .success(ClientConnection(channel: channel, handler: handler, tls: established.tls))
        } catch {
            channel.close(promise: nil)
            return .failure(HTTP1ConnectionHandler.failure(for: error))
        }
    }

    /// Connects to `url`'s host and port and, for `https`, completes the TLS handshake offering
    /// `alpn`. The connect timeout bounds the TCP connect and the handshake each; the request
    /// deadline bounds both together.
    func establish(_ url: HTTPURL, alpn: ALPNOffer, deadline: NIODeadline) async -> Result<EstablishedChannel, HTTPFailure> {
        let started = NIODeadline.now()
        let remaining = deadline - started
        let connectLimit = TimeAmount.nanoseconds(configuration.connectTimeout.nanosecondsClamped)
        let limitedByRequest = remaining < connectLimit
        guard remaining > .zero else { return .failure(.requestTimeout) }

        let sslContext: NIOSSLContext?
        do {
            sslContext = url.scheme == .https ? try tlsContexts.context(for: alpn) : nil
        } catch {
            return .failure(.tls(error))
        }
        let handshake: EventLoopPromise<TLSHandshakeOutcome>? = sslContext == nil ? nil : eventLoop.makePromise()
        // SNI carries host names only; for an IP literal the certificate's IP addresses are
        // checked against the peer's address instead.
        let serverName = url.hostIsIPAddress ? nil : url.host
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(limitedByRequest ? remaining : connectLimit)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let sslContext, let handshake {
                        try operations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                        try operations.addHandler(TLSHandshakeObserver(promise: handshake))
                    }
                    // Until the protocol handler is added (see attachHTTP1 and HTTP/2's attach).
                    try operations.addHandler(EarlyInboundBuffer())
                }
            }
        let channel: any Channel
        do {
            if let address = try? SocketAddress(ipAddress: url.host, port: url.port) {
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: url.host, port: url.port).get()
            }
        } catch {
            handshake?.fail(error)
            var failure = Self.connectFailure(error, url: url)
            if failure == .connectTimeout && limitedByRequest { failure = .requestTimeout }
            return .failure(failure)
        }
        guard let handshake else {
            return .success(
                EstablishedChannel(channel: channel, connecting: ExchangeResult.between(started, .now()), tlsHandshaking: .zero, tls: nil)
            )
        }
        return await finishHandshake(handshake, channel: channel, url: url, started: started, deadline: deadline)
    }

    /// Waits for the handshake within the connect timeout and the request deadline.
    private func finishHandshake(
        _ handshake: EventLoopPromise<TLSHandshakeOutcome>, channel: any Channel, url: HTTPURL, started: NIODeadline,
        deadline: NIODeadline
    ) async -> Result<EstablishedChannel, HTTPFailure> {
        let connectLimit = NIODeadline.now() + .nanoseconds(configuration.connectTimeout.nanosecondsClamped)
        let handshakeDeadline = min(deadline, connectLimit)
        let timeout: HTTPFailure = handshakeDeadline == deadline ? .requestTimeout : .tls(.handshakeTimeout(host: url.host))
        let timer = channel.eventLoop.scheduleTask(deadline: handshakeDeadline) {
            handshake.fail(timeout)
        }
        do {
            let outcome = try await handshake.futureResult.get()
            timer.cancel()
            let version = try? await channel.eventLoop.submit {
                TLSConnectionInfo.name(of: try channel.pipeline.syncOperations.nioSSL_tlsVersion())
            }.get()
            return .success(
                EstablishedChannel(
                    channel: channel,
                    connecting: ExchangeResult.between(started, outcome.connectedAt),
                    tlsHandshaking: ExchangeResult.between(outcome.connectedAt, outcome.finishedAt),
                    tls: TLSConnectionInfo(negotiatedProtocol: outcome.negotiatedProtocol, version: version ?? nil)
                )
            )
        } catch {
            timer.cancel()
            channel.close(promise: nil)
            if let failure = error as? HTTPFailure { return .failure(failure) }
            if let tls = TLSFailure.classify(error, host: url.host) { return .failure(.tls(tls)) }
            let failure = HTTP1ConnectionHandler.failure(for: error)
            if failure == .connectionReset {
                return .failure(.tls(.handshakeFailed(host: url.host, detail: "the server closed the connection during the handshake; is the port serving TLS?")))
            }
            return .failure(failure)
        }
    }

    static func connectFailure(_ error: any Error, url: HTTPURL) -> HTTPFailure {
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.isEmpty,
               connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil {
                return .dnsFailure("no address found for \"\(url.host)\"")
            }
            if let first = connectionError.connectionErrors.first {
                return connectFailure(first.error, url: url)
            }
            if connectionError.dnsAError == nil, connectionError.dnsAAAAError == nil {
                return .dnsFailure("no address found for \"\(url.host)\"")
            }
        }
        let failure = HTTP1ConnectionHandler.failure(for: error)
        if case .connectionRefused = failure {
            return .connectionRefused(url.authority)
        }
        if failure == .connectionReset {
            return .connectionFailed("the connection to \(url.authority) closed while connecting")
        }
        return failure
    }
}
