import NIOCore
import NIOPosix

/// The HTTP/1.1 client of a load engine: configuration plus the event loops it runs on.
///
/// It holds no connections itself. Each VU gets its own `HTTPSession` (its connections, on one
/// event loop), so VUs never contend for a shared pool and a request needs no lock.
public final class HTTPClient: Sendable {
    /// Settings shared by every session of a client.
    public struct Configuration: Sendable {
        /// Limit for establishing a TCP connection (including name resolution).
        public var connectTimeout: Duration
        /// Redirects followed before giving up, unless a request sets its own limit.
        public var maxRedirects: Int
        /// How `https://` servers are verified.
        public var tls: TLSClientOptions

        public init(connectTimeout: Duration = .seconds(10), maxRedirects: Int = 10, tls: TLSClientOptions = TLSClientOptions()) {
            self.connectTimeout = connectTimeout
            self.maxRedirects = maxRedirects
            self.tls = tls
        }
    }

    public let configuration: Configuration
    public let group: any EventLoopGroup
    private let ownsGroup: Bool
    /// One TLS context per ALPN offer for the whole client: contexts are expensive.
    private let tlsContexts: TLSContextCache

    /// A client on a caller-owned event loop group (not shut down by `shutdown()`).
    public init(group: any EventLoopGroup, configuration: Configuration = Configuration()) {
        self.group = group
        self.configuration = configuration
        self.ownsGroup = false
        self.tlsContexts = TLSContextCache(options: configuration.tls)
    }

    /// A client with its own event loop group of `threads` threads.
    public init(threads: Int, configuration: Configuration = Configuration()) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        self.configuration = configuration
        self.ownsGroup = true
        self.tlsContexts = TLSContextCache(options: configuration.tls)
    }

    /// A session for one VU, pinned to `eventLoop` or the group's next loop.
    ///
    /// Running the VU's task on the same loop (e.g. an actor whose executor is
    /// `eventLoop.executor`) saves a thread hop per request.
    public func makeSession(on eventLoop: (any EventLoop)? = nil, sharing pool: HTTP2ConnectionPool? = nil) -> HTTPSession {
        HTTPSession(eventLoop: eventLoop ?? group.next(), configuration: configuration, tlsContexts: tlsContexts, pool: pool)
    }

    /// A pool of `connectionsPerHost` HTTP/2 connections per host, spread over the client's
    /// event loops, for sessions that should multiplex their requests on shared connections
    /// (see ``HTTP2ConnectionPool``). Close it when the sessions are done.
    public func makeHTTP2Pool(connectionsPerHost: Int) -> HTTP2ConnectionPool {
        HTTP2ConnectionPool(
            connectionsPerHost: connectionsPerHost, group: group, configuration: configuration, tlsContexts: tlsContexts
        )
    }

    /// Builds the TLS context now, so a bad CA file stops a run before it starts instead of
    /// failing every `https` request. Throws the problem in words a user can act on.
    public func prepareTLS() throws(TLSFailure) {
        _ = try tlsContexts.context(for: .http1)
    }

    /// An executor on the group's next event loop, for a VU's task: a session made inside
    /// that task with ``makeSessionOnCurrentLoop()`` then sends without any thread hop.
    public func nextTaskExecutor() -> EventLoopTaskExecutor {
        EventLoopTaskExecutor(group.next())
    }

    /// A session on the event loop the calling code runs on (when it runs on one of the
    /// group's loops), else on the group's next loop.
    public func makeSessionOnCurrentLoop(sharing pool: HTTP2ConnectionPool? = nil) -> HTTPSession {
        makeSession(on: MultiThreadedEventLoopGroup.currentEventLoop, sharing: pool)
    }

    /// Shuts down the event loop group if this client created it. Close every session first:
    /// a session must not send after its loops are shut down (nothing would answer it).
    public func shutdown() async {
        guard ownsGroup else { return }
        try? await group.shutdownGracefully()
    }
}
