import LoadTreeHTTP
import NIOCore
import NIOPosix
import Testing

/// Runs `body` against a fresh embedded target on 127.0.0.1 with a one-thread client, and
/// tears both down afterwards (also when `body` throws).
func withTarget(
    _ body: (TargetServer, HTTPClient) async throws -> Void
) async throws {
    let server = try await TargetServer.start(host: "127.0.0.1", port: 0)
    let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
    do {
        try await body(server, client)
    } catch {
        await client.shutdown()
        await server.shutdown()
        throw error
    }
    await client.shutdown()
    await server.shutdown()
}

/// A GET (or other) request to `path` on the target, with a short timeout so no test hangs.
func request(
    _ server: TargetServer, _ path: String, method: String = "GET", headers: [(String, String)] = [],
    body: [UInt8]? = nil, keepBody: Bool = true, timeout: Duration = .seconds(5), maxRedirects: Int? = nil
) throws -> HTTPRequest {
    try HTTPRequest(
        method: method, url: "http://127.0.0.1:\(server.port)\(path)", headers: headers, body: body,
        timeout: timeout, keepBody: keepBody, maxRedirects: maxRedirects
    )
}

extension HTTPResponse {
    /// The body as UTF-8 text ("" when not kept).
    var text: String { String(decoding: body ?? [], as: UTF8.self) }
}

/// A port on 127.0.0.1 that nothing listens on: bound once to learn a free port, then closed.
func closedPort() async throws -> Int {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 1
    try await channel.close()
    try await group.shutdownGracefully()
    return port
}

extension HTTPSession {
    /// Sends a request built by `request(server, path, ...)`; an invalid request is recorded as
    /// a test issue and answered with status -1.
    mutating func fetch(
        _ server: TargetServer, _ path: String, method: String = "GET", headers: [(String, String)] = [],
        body: [UInt8]? = nil, keepBody: Bool = true, timeout: Duration = .seconds(5), maxRedirects: Int? = nil
    ) async -> HTTPResponse {
        do {
            let built = try request(
                server, path, method: method, headers: headers, body: body, keepBody: keepBody, timeout: timeout,
                maxRedirects: maxRedirects
            )
            return await send(built)
        } catch {
            Issue.record("invalid request \(method) \(path): \(error)")
            return HTTPResponse(status: -1, method: method, url: HTTPURL(host: "invalid"))
        }
    }
}
