import LoadTreeHTTP
import NIOCore
import Testing

/// The HTTP/2 client (libnghttp2) against the embedded target's h2c and a frame-level server
/// that misbehaves on purpose.
@Suite("HTTP/2 client")
struct HTTP2ClientTests {
    private func h2(
        _ port: Int, _ path: String, method: String = "GET", headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(5)
    ) throws -> HTTPRequest {
        try HTTPRequest(
            method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers, body: body, timeout: timeout,
            keepBody: true, version: .http2
        )
    }

    @Test func getsOverH2cWithPriorKnowledge() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.send(try h2(server.port, "/json"))
            #expect(response.error == nil, "\(String(describing: response.error))")
            #expect(response.status == 200)
            #expect(response.proto == "HTTP/2.0")
            #expect(response.text.contains("\"count\":3"))
            #expect(response.header("content-type") == "application/json")
            #expect(response.bytesReceived > response.bodySize)
            #expect(response.bytesSent > 0)
            #expect(response.timings.connecting > .zero)
            #expect(response.timings.duration > .zero)
            await session.close()
        }
    }

    @Test func bodiesTravelBothWaysBeyondTheFlowControlWindow() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            // 300 KB is several times the 64 KB default window, so WINDOW_UPDATEs must flow both ways.
            let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let response = await session.send(
                try h2(server.port, "/echo", method: "POST", headers: [("Content-Type", "application/octet-stream")], body: payload)
            )
            #expect(response.error == nil, "\(String(describing: response.error))")
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.bytesSent > payload.count)
            let big = await session.send(try h2(server.port, "/bytes/1000000"))
            #expect(big.status == 200)
            #expect(big.body?.count == 1_000_000)
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func decodesGzipAsHTTP1Does() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let http2 = await session.send(try h2(server.port, "/gzip"))
            let http1 = await session.fetch(server, "/gzip")
            #expect(http2.status == 200)
            #expect(http2.error == nil)
            #expect(http2.text == http1.text)
            #expect(http2.text.hasPrefix("{"))
            await session.close()
        }
    }

    @Test func oneSessionReusesItsConnectionAndFollowsRedirects() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            for _ in 0..<20 {
                #expect(await session.send(try h2(server.port, "/")).status == 200)
            }
            let redirected = await session.send(try h2(server.port, "/redirect/3"))
            #expect(redirected.status == 200)
            #expect(redirected.redirects.count == 3)
            #expect(redirected.proto == "HTTP/2.0")
            #expect(server.acceptedConnections == 1)
            #expect(session.connectionCount == 1)
            await session.close()
        }
    }

    @Test func manyConcurrentStreamsShareOneConnection() async throws {
        try await withTarget { server, client in
            let pool = client.makeHTTP2Pool(connectionsPerHost: 1)
            let template = try h2(server.port, "/delay?ms=100", timeout: .seconds(20))
            // 150 at once: beyond the server's 100 concurrent streams, so nghttp2 must queue.
            let statuses = await withTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<150 {
                    group.addTask {
                        var session = client.makeSession(sharing: pool)
                        let response = await session.send(template)
                        return (response.status, response.proto)
                    }
                }
                var all: [(Int, String)] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(statuses.count == 150)
            #expect(statuses.allSatisfy { $0.0 == 200 && $0.1 == "HTTP/2.0" })
            #expect(server.acceptedConnections == 1)
            #expect(pool.openConnections == 1)
            await pool.close()
        }
    }

    @Test func goAwayFailsTheRefusedRequestAndTheNextOneReconnects() async throws {
        let server = try await H2TestServer.start()
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
        var session = client.makeSession()
        #expect(await session.send(try h2(server.port, "/")).status == 200)
        #expect(await session.send(try h2(server.port, "/")).status == 200)
        let refused = await session.send(try h2(server.port, "/goaway"))
        #expect(refused.status == 0)
        #expect(refused.error == .http2GoAway(errorCode: 0))
        #expect(refused.errorCode == 1611)
        #expect(refused.error?.description.contains("GOAWAY (NO_ERROR)") == true)
        let next = await session.send(try h2(server.port, "/"))
        #expect(next.status == 200)
        #expect(next.error == nil)
        #expect(next.text == "ok")
        #expect(server.acceptedConnections == 2)
        await session.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func goAwayDuringConcurrentStreamsFailsOnlyUnansweredOnes() async throws {
        let server = try await H2TestServer.start()
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
        let pool = client.makeHTTP2Pool(connectionsPerHost: 1)
        let paths = (0..<40).map { $0 == 20 ? "/goaway" : "/" }
        let responses = await withTaskGroup(of: HTTPResponse?.self) { group in
            for path in paths {
                group.addTask {
                    var session = client.makeSession(sharing: pool)
                    guard let request = try? self.h2(server.port, path) else { return nil }
                    return await session.send(request)
                }
            }
            var all: [HTTPResponse] = []
            for await response in group { if let response { all.append(response) } }
            return all
        }
        #expect(responses.count == 40)
        for response in responses {
            // Every request ends: answered, or failed with a reason a user can read.
            if response.status != 200 {
                #expect(response.status == 0)
                #expect(response.error != nil)
            }
        }
        // At least the refused request failed. Which failure the others see depends on how far
        // the server got when it went away (GOAWAY for refused streams, a reset connection for
        // those in flight); the classification itself is checked one request at a time above.
        let failures = responses.compactMap(\.error)
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { failure in
            switch failure {
            case .http2GoAway, .connectionReset, .badResponse: true
            default: false
            }
        }, "\(failures)")
        var after = client.makeSession(sharing: pool)
        #expect(await after.send(try h2(server.port, "/")).status == 200)
        await pool.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func streamResetFailsOnlyThatRequest() async throws {
        let server = try await H2TestServer.start()
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
        var session = client.makeSession()
        let reset = await session.send(try h2(server.port, "/reset"))
        #expect(reset.status == 0)
        #expect(reset.error == .http2StreamReset(errorCode: 2))
        #expect(reset.errorCode == 1633)
        #expect(reset.error?.description.contains("INTERNAL_ERROR") == true)
        #expect(await session.send(try h2(server.port, "/")).status == 200)
        #expect(server.acceptedConnections == 1)
        await session.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func anHTTP1ServerIsAProtocolErrorNotACrash() async throws {
        let raw = try await RawServer.start(.replyAndKeepOpen(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)))
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
        var session = client.makeSession()
        let response = await session.send(try h2(raw.port, "/", timeout: .seconds(3)))
        #expect(response.status == 0)
        guard case .http2ProtocolError(let detail) = response.error else {
            Issue.record("expected a protocol error, got \(String(describing: response.error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(detail.contains("expected SETTINGS frame"))
        #expect(response.errorCode == 1650)
        await session.close()
        await client.shutdown()
        await raw.shutdown()
    }

    @Test func aSilentServerTimesOutTheStream() async throws {
        let raw = try await RawServer.start(.silent)
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))
        var session = client.makeSession()
        let response = await session.send(try h2(raw.port, "/", timeout: .milliseconds(300)))
        #expect(response.error == .requestTimeout)
        await session.close()
        await client.shutdown()
        await raw.shutdown()
    }
}
