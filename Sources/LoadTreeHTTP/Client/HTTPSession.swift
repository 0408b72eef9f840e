import NIOCore
import NIOPosix

/// One VU's HTTP state: at most one keep-alive connection per (host, port), reused across
/// requests and replaced when the server closes it.
///
/// A value type owned by the VU's task, so no lock guards the pool; it is `Sendable` so an
/// actor may keep it, but it must not be copied into two places that both send (copies share
/// the same connections). `send` never throws: failures come back as a response with `error`.
public struct HTTPSession: Sendable {
    struct Key: Hashable {
        var scheme: HTTPURL.Scheme
        var host: String
        var port: Int
    }

    /// The event loop all of this session's connections run on.
    public let eventLoop: any EventLoop
    public let configuration: HTTPClient.Configuration
    /// The client's TLS contexts, shared by all its sessions.
    let tlsContexts: TLSContextCache
    private var connections: [Key: ClientConnection] = [:]
    /// This session's own HTTP/2 connections (when it shares no pool).
    var http2Connections: [Key: HTTP2Connection] = [:]
    /// HTTP/2 connections shared with other sessions, if the client was asked for a pool.
    let pool: HTTP2ConnectionPool?
    /// The pool slot this session sends on, chosen at its first pooled request (see
    /// ``HTTP2PoolShard``).
    var http2PoolSlot: Int?
    /// Set while the owner handles cancellation for all requests (see ``shareCancellation()``).
    private(set) var canceller: ConnectionCanceller?

    init(
        eventLoop: any EventLoop, configuration: HTTPClient.Configuration, tlsContexts: TLSContextCache,
        pool: HTTP2ConnectionPool? = nil
    ) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.tlsContexts = tlsContexts
        self.pool = pool
    }

    /// Whether an HTTP/1.1 connection to `key` is open.
    func hasHTTP1Connection(to key: Key) -> Bool {
        connections[key]?.channel.isActive == true
    }

    /// Connections currently held (open or not yet noticed as closed), not counting a shared pool's.
    public var connectionCount: Int { connections.count + http2Connections.count }

    /// Sends `request`, following redirects, and returns the final response.
    public mutating func send(_ request: HTTPRequest) async -> HTTPResponse {
        let called = NIODeadline.now()
        let deadline = called + TimeAmount.nanoseconds(request.timeout.nanosecondsClamped)
        let limit = request.maxRedirects ?? configuration.maxRedirects
        var current = request
        var hops: [HTTPHop] = []
        while true {
            var response = await exchange(current, deadline: deadline, called: hops.isEmpty ? called : nil)
            guard response.error == nil, let next = redirectTarget(of: response, for: current) else {
                response.redirects = hops
                return response
            }
            if hops.count >= limit {
                response.redirects = hops
                response.error = .tooManyRedirects(limit)
                return response
            }
            hops.append(
                HTTPHop(
                    method: current.method, url: current.url, status: response.status, timings: response.timings,
                    bytesSent: response.bytesSent, bytesReceived: response.bytesReceived
                )
            )
            switch next {
            case .success(let request):
                current = request
            case .failure(let failure):
                response.redirects = hops.dropLast()
                response.error = failure
                return response
            }
        }
    }

    /// Hands cancellation to the caller: until ``endSharedCancellation()``, requests install no
    /// cancellation handler of their own, and the caller must call `cancel()` on the result
    /// when its task is cancelled (one `withTaskCancellationHandler` around all its requests).
    public mutating func shareCancellation() -> ConnectionCanceller {
        let shared = ConnectionCanceller()
        for connection in connections.values { shared.register(connection.channel) }
        shareHTTP2Cancellation(with: shared)
        canceller = shared
        return shared
    }

    /// Goes back to one cancellation handler per request.
    public mutating func endSharedCancellation() {
        canceller = nil
    }

    /// Closes every connection of this session.
    public mutating func close() async {
        let held = connections.values.map(\.channel) + http2Connections.values.map(\.channel)
        connections.removeAll()
        http2Connections.removeAll()
        for channel in held {
            try? await channel.close()
        }
    }

    /// The request for the next hop, or nil when `response` is final. Follows the reference
    /// tool's rules: 301, 302 and 303 turn the method into GET (HEAD stays HEAD) and drop the
    /// body; 307 and 308 repeat method and body.
    private func redirectTarget(of response: HTTPResponse, for request: HTTPRequest) -> Result<HTTPRequest, HTTPFailure>? {
        switch response.status {
        case 301, 302, 303, 307, 308: break
        default: return nil
        }
        guard let location = response.location else { return nil }
        let url: HTTPURL
        do {
            url = try request.url.resolving(location)
        } catch {
            return .failure(error)
        }
        if response.status == 307 || response.status == 308 {
            return .success(request.redirected(to: url, method: request.method, keepBody: true))
        }
        let method = request.method == "HEAD" ? "HEAD" : "GET"
        return .success(request.redirected(to: url, method: method, keepBody: false))
    }

    /// One request on one connection (no redirects), reconnecting once if a reused connection
    /// turns out to be closed.
    /// - Parameter called: when the caller asked for this hop, if it just read the clock.
    private mutating func exchange(_ request: HTTPRequest, deadline: NIODeadline, called: NIODeadline? = nil) async -> HTTPResponse {
        let called = called ?? NIODeadline.now()
        if Task.isCancelled {
            return HTTPResponse(status: 0, method: request.method, url: request.url, error: .cancelled)
        }
        if usesHTTP2(request) {
            return await exchangeHTTP2(request, deadline: deadline, called: called)
        }
        let key = Key(scheme: request.url.scheme, host: request.url.host, port: request.url.port)
        var prepared: (ClientConnection, EstablishedChannel)?
        if needsNegotiation(request) {
            // "auto" over TLS: ALPN picks the protocol of the host's first connection.
            let connectStarted = NIODeadline.now()
            switch await negotiate(request.url, deadline: deadline) {
            case .failure(let failure):
                return connectFailed(failure, request: request, called: called, connectStarted: connectStarted)
            case .success(.http2(let connection, let established)):
                http2Connections[key] = connection
                return await exchangeHTTP2(request, deadline: deadline, called: called, prepared: (connection, established))
            case .success(.http1(let connection, let established)):
                prepared = (connection, established)
            }
        }
        var attempt = 0
        var extraSent = 0
        while true {
            attempt += 1
            var connecting = Duration.zero
            var tlsHandshaking = Duration.zero
            let connection: ClientConnection
            let reused: Bool
            if attempt == 1, let (fresh, established) = prepared {
                connection = fresh
                connections[key] = fresh
                connecting = established.connecting
                tlsHandshaking = established.tlsHandshaking
                reused = false
            } else if let existing = connections[key], existing.channel.isActive {
                connection = existing
                reused = true
            } else {
                if let stale = connections.removeValue(forKey: key) {
                    stale.channel.close(promise: nil)
                }
                let connectStarted = NIODeadline.now()
                switch await connect(request.url, deadline: deadline) {
                case .success(let (fresh, established)):
                    connection = fresh
                    connections[key] = fresh
                    connecting = established.connecting
                    tlsHandshaking = established.tlsHandshaking
                    canceller?.register(fresh.channel)
                case .failure(let failure):
                    let elapsed = ExchangeResult.between(connectStarted, .now())
                    var timings = HTTPTimings()
                    timings.blocked = ExchangeResult.between(called, connectStarted)
                    timings.connecting = elapsed
                    return HTTPResponse(
                        status: 0, bytesSent: extraSent, timings: timings, method: request.method, url: request.url,
                        error: failure
                    )
                }
                reused = false
            }
            // A kept-alive connection was ready when the call began (a lookup ago).
            let ready = reused && attempt == 1 ? called : NIODeadline.now()
            let command = ExchangeCommand(
                bytes: request.wireBytes, isHeadRequest: request.method == "HEAD", keepHeaders: request.keepHeaders,
                keepBody: request.keepBody, deadline: deadline, issued: ready
            )
            var result: ExchangeResult
            if canceller != nil {
                // The owner's handler closes this connection on cancellation.
                result = await connection.exchange(command)
            } else {
                result = await withTaskCancellationHandler {
                    await connection.exchange(command)
                } onCancel: {
                    // Closing fails the in-flight exchange at once; a stopping run must not wait
                    // for slow responses.
                    connection.channel.close(promise: nil)
                }
            }
            if result.failure != nil, Task.isCancelled {
                result.failure = .cancelled
            }
            if result.closesConnection {
                if let held = connections[key], held.channel === connection.channel {
                    connections[key] = nil
                }
                connection.channel.close(promise: nil)
            }
            if reused, attempt == 1, result.failure == .connectionReset, !Task.isCancelled, result.bytesReceived == 0,
               deadline > .now() {
                // The server closed an idle keep-alive connection as we reused it: retry once on a
                // fresh connection, as the reference's HTTP client does for this case.
                extraSent += result.bytesSent
                continue
            }
            return makeResponse(
                result, request: request, called: called, ready: ready, connecting: connecting,
                tlsHandshaking: tlsHandshaking, tls: connection.tls, extraSent: extraSent
            )
        }
    }

    func makeResponse(
        _ result: ExchangeResult, request: HTTPRequest, called: NIODeadline, ready: NIODeadline, connecting: Duration,
        tlsHandshaking: Duration, tls: TLSConnectionInfo?, extraSent: Int, proto: String? = nil
    ) -> HTTPResponse {
        let phases = result.phases
        let timings = HTTPTimings(
            // From the call until the connection's event loop began writing, minus connecting
            // and the handshake: queueing behind the loop counts as blocked, so the phases
            // cover the whole call.
            blocked: max(.zero, ExchangeResult.between(called, max(ready, result.started)) - connecting - tlsHandshaking),
            connecting: connecting,
            tlsHandshaking: tlsHandshaking,
            sending: phases.sending,
            waiting: phases.waiting,
            receiving: phases.receiving
        )
        var response = HTTPResponse(
            status: result.failure == nil ? result.status : 0,
            headers: result.headers,
            body: result.body,
            bodySize: result.bodyWireBytes,
            bytesSent: result.bytesSent + extraSent,
            bytesReceived: result.bytesReceived,
            timings: timings,
            proto: proto ?? (result.minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1"),
            method: request.method,
            url: request.url,
            error: result.failure
        )
        response.location = result.location
        response.tls = tls
        if result.failure == nil, result.isGzip, let body = result.body, !body.isEmpty {
            do {
                response.body = try Gzip.inflate(body)
            } catch {
                response.error = error
            }
        }
        return response
    }
}
