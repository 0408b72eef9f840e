import NIOCore

extension HTTPSession {
    /// Whether `request` goes over HTTP/2: asked for explicitly (h2c with prior knowledge on
    /// plaintext, ALPN `h2` over TLS), or `auto` over TLS to a host whose ALPN chose h2.
    func usesHTTP2(_ request: HTTPRequest) -> Bool {
        switch request.version {
        case .http2: true
        case .http1_1: false
        case .auto: request.url.scheme == .https && http2Connections[Key(request.url)] != nil
        }
    }

    /// Whether `request` must first let ALPN pick the protocol: `auto` over TLS with no
    /// connection to the host yet.
    func needsNegotiation(_ request: HTTPRequest) -> Bool {
        request.version == .auto && request.url.scheme == .https && !hasHTTP1Connection(to: Key(request.url))
            && http2Connections[Key(request.url)] == nil
    }

    /// A new TLS connection offering `h2` and `http/1.1`, with the protocol handler the server
    /// chose on it.
    func negotiate(_ url: HTTPURL, deadline: NIODeadline) async -> Result<NegotiatedConnection, HTTPFailure> {
        let established: EstablishedChannel
        switch await establish(url, alpn: .h2OrHTTP1, deadline: deadline) {
        case .success(let value): established = value
        case .failure(let failure): return .failure(failure)
        }
        if established.negotiatedProtocol == ALPNOffer.h2Identifier {
            return await HTTP2Connection.attach(established).map { .http2($0, established) }
        }
        return await attachHTTP1(established).map { .http1($0, established) }
    }

    /// One request as an HTTP/2 stream (no redirects), on `prepared` (just negotiated), the
    /// session's own connection to the host, or the shared pool's (version "2" only). Retries
    /// once on a fresh connection when a reused one was closing before the request left.
    mutating func exchangeHTTP2(
        _ request: HTTPRequest, deadline: NIODeadline, called: NIODeadline,
        prepared: (HTTP2Connection, EstablishedChannel)? = nil
    ) async -> HTTPResponse {
        var attempt = 0
        // The shard of this session's loop (its connections live on the loop the VU runs on),
        // and the session's slot there.
        let shard = request.version == .http2 ? pool?.shard(for: eventLoop) : nil
        let slot: Int
        if let shard {
            slot = http2PoolSlot ?? shard.assignSlot()
            http2PoolSlot = slot
        } else {
            slot = 0
        }
        while true {
            attempt += 1
            let connectStarted = NIODeadline.now()
            var ready = connectStarted
            let connection: HTTP2Connection
            var established: EstablishedChannel?
            if attempt == 1, let prepared {
                // Just negotiated: the session's own connection, closed if its VU is cancelled.
                (connection, established) = prepared
                canceller?.register(connection.channel)
            } else if let warm = readyHTTP2Connection(for: request.url, shard: shard, slot: slot) {
                // Found without suspending: the clock was just read.
                connection = warm
            } else {
                let acquired = if let shard {
                    await shard.connection(for: request.url, slot: slot, deadline: deadline)
                } else {
                    await ownHTTP2Connection(for: request.url, deadline: deadline)
                }
                switch acquired {
                case .success(let pair):
                    (connection, established) = pair
                case .failure(let failure):
                    return connectFailed(failure, request: request, called: called, connectStarted: connectStarted)
                }
                ready = .now()
            }
            var result = await connection.exchange(request, deadline: deadline, ready: ready, canceller: canceller)
            if result.failure != nil, Task.isCancelled {
                result.failure = .cancelled
            }
            if established == nil, attempt == 1, result.failure != nil, result.failure != .requestTimeout,
               result.failure != .cancelled, result.bytesSent == 0, !Task.isCancelled, deadline > .now() {
                // The reused connection was closing before this request left: nothing reached
                // the server, so one retry on a fresh connection is safe.
                continue
            }
            return makeResponse(
                result, request: request, called: called, ready: ready, connecting: established?.connecting ?? .zero,
                tlsHandshaking: established?.tlsHandshaking ?? .zero, tls: connection.tls, extraSent: 0,
                proto: HTTPSession.http2Proto
            )
        }
    }

    /// The response of a request whose connection could not be opened.
    func connectFailed(_ failure: HTTPFailure, request: HTTPRequest, called: NIODeadline, connectStarted: NIODeadline) -> HTTPResponse {
        var timings = HTTPTimings()
        timings.blocked = ExchangeResult.between(called, connectStarted)
        timings.connecting = ExchangeResult.between(connectStarted, .now())
        return HTTPResponse(
            status: 0, timings: timings, proto: request.version == .http2 ? HTTPSession.http2Proto : "HTTP/1.1",
            method: request.method, url: request.url, error: failure
        )
    }

    /// The reference's `proto` for HTTP/2 responses.
    static let http2Proto = "HTTP/2.0"

    /// An open connection to reuse, found without suspending.
    private func readyHTTP2Connection(for url: HTTPURL, shard: HTTP2PoolShard?, slot: Int) -> HTTP2Connection? {
        if let shard { return shard.readyConnection(for: url, slot: slot) }
        guard let existing = http2Connections[Key(url)], existing.isUsable else { return nil }
        return existing
    }

    /// Lets `canceller` stop this session's HTTP/2 requests: its own connections are closed
    /// (as HTTP/1.1's are), while on the shared pool only its streams are reset, since other
    /// VUs' requests share those connections.
    func shareHTTP2Cancellation(with canceller: ConnectionCanceller) {
        for connection in http2Connections.values { canceller.register(connection.channel) }
        if let pool {
            canceller.onCancel { canceller in pool.cancelStreams(of: canceller) }
        }
    }

    private mutating func ownHTTP2Connection(
        for url: HTTPURL, deadline: NIODeadline
    ) async -> Result<(HTTP2Connection, EstablishedChannel?), HTTPFailure> {
        let key = Key(url)
        if let existing = http2Connections[key] {
            if existing.isUsable { return .success((existing, nil)) }
            http2Connections[key] = nil
            existing.channel.close(promise: nil)
        }
        let result = await HTTP2Connection.connect(to: url, using: self, deadline: deadline)
        if case .success(let (connection, _)) = result {
            http2Connections[key] = connection
            canceller?.register(connection.channel)
        }
        return result.map { ($0.0, $0.1) }
    }
}

/// A connection whose protocol ALPN chose.
enum NegotiatedConnection {
    case http1(ClientConnection, EstablishedChannel)
    case http2(HTTP2Connection, EstablishedChannel)
}

extension HTTPSession.Key {
    init(_ url: HTTPURL) {
        self.init(scheme: url.scheme, host: url.host, port: url.port)
    }
}
