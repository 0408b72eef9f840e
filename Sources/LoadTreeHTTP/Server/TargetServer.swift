import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Why the embedded target could not start.
public enum TargetServerError: Error, Sendable, CustomStringConvertible {
    case bindFailed(host: String, port: Int, reason: String)
    case tls(TargetTLSError)

    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason); choose another address or port (0 picks a free one)"
        case .tls(let error):
            error.description
        }
    }
}

/// The embedded HTTP/1.1 and h2c target for the demo, the tests and the benchmark.
///
/// It lets LoadTree be tried and tested with nothing else installed: fixed and sized bodies,
/// JSON, delays, any status, a token login, gzip, redirect chains, echo. Keep-alive and
/// pipelining-safe on NIO; malformed requests get a 400 and never crash it. The same port
/// serves HTTP/2 to clients that open with the h2c preface (prior knowledge), same routes.
///
/// Routes: `GET /` (2,048-byte text), `GET /bytes/N`, `GET /json`, `GET /items`,
/// `GET /items/{id}`, `GET /delay?ms=N`, `GET|POST /status/N`, `POST /login`, `POST /cart`,
/// `POST /orders`, `GET /gzip`, `GET /redirect/N`, `POST /echo`, `GET /headers`; anything else
/// is 404. `HEAD` works wherever `GET` does.
public final class TargetServer: Sendable {
    /// The address the server listens on.
    public let address: SocketAddress
    /// The bound port (useful when started with port 0).
    public let port: Int
    private let channel: any Channel
    private let stats: TargetStats
    private let ownedGroup: MultiThreadedEventLoopGroup?

    private init(channel: any Channel, address: SocketAddress, stats: TargetStats, ownedGroup: MultiThreadedEventLoopGroup?) {
        self.channel = channel
        self.address = address
        self.port = address.port ?? 0
        self.stats = stats
        self.ownedGroup = ownedGroup
    }

    /// TCP connections accepted since start (keep-alive reuse keeps this low).
    public var acceptedConnections: Int { stats.acceptedConnections.load(ordering: .relaxed) }

    /// Requests answered (or being answered) since start.
    public var requestsServed: Int { stats.requests.load(ordering: .relaxed) }

    /// Starts listening on `host:port` (port 0 picks a free port). Without a `group` the server
    /// runs on its own single-threaded event loop group, shut down by `shutdown()`. With `tls`
    /// every connection is HTTPS with that certificate.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, group: (any EventLoopGroup)? = nil, tls: TargetTLS? = nil
    ) async throws(TargetServerError) -> TargetServer {
        let sslContext: NIOSSLContext?
        do { sslContext = try tls?.identity.makeServerContext(applicationProtocols: tls?.applicationProtocols ?? []) } catch {
            throw .tls(error)
        }
        var ownedGroup: MultiThreadedEventLoopGroup? = nil
        let loops: any EventLoopGroup
        if let group {
            loops = group
        } else {
            let own = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            ownedGroup = own
            loops = own
        }
        let stats = TargetStats()
        let routes = TargetRoutes(tokens: LoginToken(), stats: stats)
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                stats.acceptedConnections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    // HTTP/1.1 or h2 (prior knowledge, or after ALPN chose h2), told by the preface.
                    try channel.pipeline.syncOperations.addHandler(TargetProtocolDetector(routes: routes))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            guard let address = channel.localAddress else {
                try? await channel.close()
                throw TargetServerError.bindFailed(host: host, port: port, reason: "no local address after bind")
            }
            return TargetServer(channel: channel, address: address, stats: stats, ownedGroup: ownedGroup)
        } catch {
            let created = ownedGroup
            try? await created?.shutdownGracefully()
            if let failure = error as? TargetServerError { throw failure }
            throw .bindFailed(host: host, port: port, reason: String(describing: error))
        }
    }

    /// Every route: method, path pattern and what it answers (for `loadtree target` to print).
    public static let routes: [(method: String, path: String, summary: String)] = [
        ("GET", "/", "2,048 bytes of text"),
        ("GET", "/bytes/N", "N bytes (N up to 10 MB)"),
        ("GET", "/json", #"{"items":[...],"count":3}"#),
        ("GET", "/items", "same as /json"),
        ("GET", "/items/{id}", #"{"id":id,"name":"item id"}"#),
        ("GET", "/delay?ms=N", "answers after N ms (up to 10 s)"),
        ("GET|POST", "/status/N", "status N (200 to 599)"),
        ("POST", "/login", #"JSON body with "user" -> {"token":"..."}, else 401"#),
        ("POST", "/cart", #"needs Authorization: Bearer <token> -> 201 {"status":"ok"}"#),
        ("POST", "/orders", #"needs Authorization: Bearer <token> -> {"status":"ok","order":N}"#),
        ("GET", "/gzip", "a JSON text with Content-Encoding: gzip"),
        ("GET", "/redirect/N", "302 to /redirect/N-1 ... /redirect/0 (200)"),
        ("POST", "/echo", "the request body and content type"),
        ("GET", "/headers", "the request headers as JSON"),
    ]

    /// Returns when the listening socket has closed (after `shutdown()`).
    public func waitUntilClosed() async {
        // Once an owned group is shut down its loop runs no callbacks: awaiting the close
        // future then would never return.
        if stats.isShutDown.load(ordering: .acquiring) { return }
        try? await channel.closeFuture.get()
    }

    /// Stops listening and closes the listening socket; shuts down the server's own event loop
    /// group, which also closes its open connections. With a borrowed group, open connections
    /// stay until their clients close them or the group shuts down.
    public func shutdown() async {
        try? await channel.close()
        stats.isShutDown.store(true, ordering: .releasing)
        try? await ownedGroup?.shutdownGracefully()
    }
}
