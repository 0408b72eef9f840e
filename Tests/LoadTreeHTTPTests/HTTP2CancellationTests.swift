import LoadTreeHTTP
import NIOCore
import Testing

/// Cancelling a VU's HTTP/2 request on a connection other VUs share: only its stream is reset,
/// whether the request installed its own cancellation handler or its VU shares one.
@Suite("HTTP/2 cancellation")
struct HTTP2CancellationTests {
    private func delayed(_ port: Int, ms: Int) throws -> HTTPRequest {
        try HTTPRequest(url: "http://127.0.0.1:\(port)/delay?ms=\(ms)", timeout: .seconds(30), version: .http2)
    }

    /// Two event loops and one pooled connection: one of the sessions is on the other loop.
    private func withPool(_ body: (TargetServer, HTTPClient, HTTP2ConnectionPool) async throws -> Void) async throws {
        let server = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let client = HTTPClient(threads: 2, configuration: .init(connectTimeout: .seconds(2)))
        let pool = client.makeHTTP2Pool(connectionsPerHost: 1)
        do {
            try await body(server, client, pool)
        } catch {
            Issue.record("\(error)")
        }
        await pool.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func aSharedCancellerResetsOnlyItsSessionsStream() async throws {
        try await withPool { server, client, pool in
            var cancelled = client.makeSession(sharing: pool)
            let canceller = cancelled.shareCancellation()
            let slow = try delayed(server.port, ms: 10_000)
            let short = try delayed(server.port, ms: 600)
            async let stopped = { [cancelled] in
                var session = cancelled
                return await session.send(slow)
            }()
            async let neighbour = { () -> HTTPResponse in
                var session = client.makeSession(sharing: pool)
                return await session.send(short)
            }()
            try await Task.sleep(for: .milliseconds(300))
            canceller.cancel()
            let (first, second) = await (stopped, neighbour)
            #expect(first.error == .cancelled)
            #expect(second.status == 200, "\(String(describing: second.error))")
            // A request after cancellation never reaches the wire.
            let after = await cancelled.send(short)
            #expect(after.error == .cancelled)
            #expect(after.bytesSent == 0)
            #expect(server.acceptedConnections == 1)
            #expect(pool.openConnections == 1)
        }
    }

    @Test func cancellingARequestsTaskResetsOnlyItsStream() async throws {
        try await withPool { server, client, pool in
            let slow = try delayed(server.port, ms: 10_000)
            let short = try delayed(server.port, ms: 600)
            let stopped = Task {
                var session = client.makeSession(sharing: pool)
                return await session.send(slow)
            }
            async let neighbour = { () -> HTTPResponse in
                var session = client.makeSession(sharing: pool)
                return await session.send(short)
            }()
            try await Task.sleep(for: .milliseconds(300))
            stopped.cancel()
            let first = await stopped.value
            let second = await neighbour
            #expect(first.error == .cancelled)
            #expect(second.status == 200, "\(String(describing: second.error))")
            #expect(server.acceptedConnections == 1)
        }
    }
}
