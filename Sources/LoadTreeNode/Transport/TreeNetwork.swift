import GRPCCore
import GRPCNIOTransportHTTP2Posix
import LoadTreeWire

/// The tree between processes: gRPC over HTTP/2 on NIO sockets (plaintext; run the tree on a
/// private network or tunnel it). Tests use gRPC's in-process transport with the same service.
public enum TreeNetwork {
    /// Serves `service` on `address` while `body` runs; `body` receives the bound address
    /// (the real port when `address` asked for port 0). Afterwards, children get `linger` to
    /// close their streams before the server stops regardless: a stuck peer never keeps a
    /// finished process alive.
    public static func serve<Result: Sendable>(
        _ service: TreeService, on address: NodeAddress, linger: Duration = .seconds(5),
        _ body: @escaping @Sendable (NodeAddress) async throws -> Result
    ) async throws -> Result {
        let socket: GRPCNIOTransportCore.SocketAddress = address.isIPv6
            ? .ipv6(host: address.host, port: address.port)
            : .ipv4(host: address.host, port: address.port)
        let transport = HTTP2ServerTransport.Posix(address: socket, transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [service])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { group.cancelAll() }
            let bound: GRPCNIOTransportCore.SocketAddress
            do { bound = try await transport.listeningAddress } catch {
                throw TreeNetworkError.cannotListen(address, "\(error)")
            }
            let port = bound.ipv4?.port ?? bound.ipv6?.port ?? address.port
            let result = try await body(NodeAddress(host: address.host, port: port))
            server.beginGracefulShutdown()
            group.addTask { try await Task.sleep(for: linger) }
            _ = try? await group.next()
            return result
        }
    }

    /// Options for calls that may start before the node they call.
    static var waitingForReady: CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = true
        return options
    }

    /// Options for the one-shot calls of people and operators: fail fast when nobody answers.
    static var operatorCall: CallOptions {
        var options = CallOptions.defaults
        options.timeout = .seconds(10)
        options.waitForReady = false
        return options
    }

    /// The status of the node at `address` (`loadtree status`).
    public static func status(of address: NodeAddress) async throws -> Loadtree_V1_StatusReply {
        try await withClient(address) { client in
            try await client.status(request: ClientRequest(message: Loadtree_V1_StatusRequest()), options: operatorCall)
        }
    }

    /// Asks the node at `address` to abort the test (`loadtree abort`).
    public static func abort(_ address: NodeAddress, reason: String) async throws -> Loadtree_V1_AbortReply {
        try await withClient(address) { client in
            try await client.abort(request: ClientRequest(message: .with { $0.reason = reason }), options: operatorCall)
        }
    }

    /// Runs `body` with a client of the tree service at `address`.
    public static func withClient<Result: Sendable>(
        _ address: NodeAddress,
        _ body: @escaping @Sendable (Loadtree_V1_Tree.Client<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let target: any ResolvableTarget = address.isIPv6
            ? ResolvableTargets.IPv6(addresses: [.init(host: address.host, port: address.port)])
            : ResolvableTargets.DNS(host: address.host, port: address.port)
        let transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(Loadtree_V1_Tree.Client(wrapping: client))
        }
    }

    /// The `attach` step of ``TreeRun/runMember(upstream:attach:)`` over the network.
    public static func attach(to address: NodeAddress) -> @Sendable (UpstreamConnection, Loadtree_V1_Hello, @escaping @Sendable (UpstreamConnection.Event) async -> Void) async throws -> Void {
        { connection, hello, onEvent in
            // A child may start before its parent: the stream waits until the parent answers
            // (the node's connect timeout bounds the wait).
            let options = TreeNetwork.waitingForReady
            try await withClient(address) { client in
                try await connection.run(client: client, hello: hello, options: options, onEvent: onEvent)
            }
        }
    }
}

/// Why the tree's network could not be used.
public enum TreeNetworkError: Error, Sendable, CustomStringConvertible {
    case cannotListen(NodeAddress, String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        }
    }
}
