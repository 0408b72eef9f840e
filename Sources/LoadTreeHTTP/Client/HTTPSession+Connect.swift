import NIOCore
import NIOPosix

extension HTTPSession {
    /// Opens a connection to `url`'s host and port within the connect timeout and the
    /// request deadline, whichever ends first.
    func connect(_ url: HTTPURL, deadline: NIODeadline) async -> Result<ClientConnection, HTTPFailure> {
        let remaining = deadline - .now()
        let connectLimit = TimeAmount.nanoseconds(configuration.connectTimeout.nanosecondsClamped)
        let limitedByRequest = remaining < connectLimit
        guard remaining > .zero else { return .failure(.requestTimeout) }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(limitedByRequest ? remaining : connectLimit)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP1ConnectionHandler())
                }
            }
        do {
            let channel: any Channel
            if let address = try? SocketAddress(ipAddress: url.host, port: url.port) {
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: url.host, port: url.port).get()
            }
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: HTTP1ConnectionHandler.self),
                    eventLoop: channel.eventLoop
                )
            }.get()
            return .success(ClientConnection(channel: channel, handler: handler))
        } catch {
            var failure = Self.connectFailure(error, url: url)
            if failure == .connectTimeout && limitedByRequest { failure = .requestTimeout }
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
