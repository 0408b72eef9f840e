import NIOCore

extension HTTPSession {
    /// Whether `request` goes over HTTP/2: asked for explicitly (h2c with prior knowledge on
    /// plaintext).
    func usesHTTP2(_ request: HTTPRequest) -> Bool {
        request.version == .http2
    }

    /// One request as an HTTP/2 stream (no redirects), on the session's own connection to the
    /// host or on the shared pool's. Retries once on a fresh connection when a reused one
    /// turned out to be closing before the request left.
    mutating func exchangeHTTP2(_ request: HTTPRequest, deadline: NIODeadline, called: NIODeadline) async -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            let connectStarted = NIODeadline.now()
            let acquired: Result<(HTTP2Connection, connected: Bool), HTTPFailure>
            if let ready = readyHTTP2Connection(for: request.url) {
                acquired = .success((ready, false))
            } else if let pool {
                acquired = await pool.connection(for: request.url, deadline: deadline)
            } else {
                acquired = await ownHTTP2Connection(for: request.url, deadline: deadline)
            }
            let connection: HTTP2Connection
            let connected: Bool
            switch acquired {
            case .success(let pair):
                (connection, connected) = pair
            case .failure(let failure):
                var timings = HTTPTimings()
                timings.blocked = ExchangeResult.between(called, connectStarted)
                timings.connecting = ExchangeResult.between(connectStarted, .now())
                return HTTPResponse(
                    status: 0, timings: timings, proto: HTTPSession.http2Proto, method: request.method, url: request.url,
                    error: failure
                )
            }
            let connecting = connected ? ExchangeResult.between(connectStarted, .now()) : .zero
            let ready = NIODeadline.now()
            var result = await connection.exchange(request, deadline: deadline)
            if result.failure != nil, Task.isCancelled {
                result.failure = .cancelled
            }
            if !connected, attempt == 1, result.failure != nil, result.failure != .requestTimeout, result.bytesSent == 0,
               !Task.isCancelled, deadline > .now() {
                // The reused connection was closing before this request left: nothing reached
                // the server, so one retry on a fresh connection is safe.
                continue
            }
            return makeResponse(
                result, request: request, called: called, ready: ready, connecting: connecting, extraSent: 0,
                proto: HTTPSession.http2Proto
            )
        }
    }

    /// The reference's `proto` for HTTP/2 responses.
    static let http2Proto = "HTTP/2.0"

    /// An open connection to reuse, found without suspending.
    private func readyHTTP2Connection(for url: HTTPURL) -> HTTP2Connection? {
        if let pool { return pool.readyConnection(for: url) }
        guard let existing = http2Connections[Key(host: url.host, port: url.port)], existing.isUsable else { return nil }
        return existing
    }

    private mutating func ownHTTP2Connection(
        for url: HTTPURL, deadline: NIODeadline
    ) async -> Result<(HTTP2Connection, connected: Bool), HTTPFailure> {
        let key = Key(host: url.host, port: url.port)
        if let existing = http2Connections[key] {
            if existing.isUsable { return .success((existing, false)) }
            http2Connections[key] = nil
            existing.channel.close(promise: nil)
        }
        let result = await HTTP2Connection.connect(
            to: url, on: eventLoop, connectTimeout: configuration.connectTimeout, deadline: deadline
        )
        if case .success(let connection) = result {
            http2Connections[key] = connection
        }
        return result.map { ($0, true) }
    }
}
