import LoadTreeHTTP
import Testing

/// Failures become responses with an error and status 0, never a crash or a hang.
@Suite("HTTP client failures")
struct ClientFailureTests {
    let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2)))

    @Test func connectionRefusedOnAClosedPort() async throws {
        let port = try await closedPort()
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(3)))
        #expect(response.status == 0)
        #expect(response.error == .connectionRefused("127.0.0.1:\(port)"))
        #expect(response.errorCode == 1212)
        #expect(response.timings.connecting >= .zero)
        await session.close()
        await client.shutdown()
    }

    @Test func unknownHostIsADNSFailure() async throws {
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://no-such-host.invalid/", timeout: .seconds(4)))
        #expect(response.status == 0)
        if case .dnsFailure = response.error {} else {
            Issue.record("expected a DNS failure, got \(String(describing: response.error))")
        }
        #expect(response.errorCode == 1101)
        await session.close()
        await client.shutdown()
    }

    @Test func garbageIsABadResponse() async throws {
        let server = try await RawServer.start(.replyThenClose(Array("GARBAGE GARBAGE\r\n\r\n".utf8)))
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3)))
        #expect(response.status == 0)
        if case .badResponse(let detail) = response.error {
            #expect(detail.contains("malformed status line"))
        } else {
            Issue.record("expected a bad response, got \(String(describing: response.error))")
        }
        #expect(response.errorCode == 1000)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func closeMidBodyIsABadResponse() async throws {
        let server = try await RawServer.start(
            .replyThenClose(Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part".utf8))
        )
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3)))
        #expect(response.status == 0)
        if case .badResponse(let detail) = response.error {
            #expect(detail.contains("closed the connection"))
        } else {
            Issue.record("expected a bad response, got \(String(describing: response.error))")
        }
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func closeBeforeAnyByteIsAReset() async throws {
        let server = try await RawServer.start(.replyThenClose([]))
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3)))
        #expect(response.status == 0)
        #expect(response.error == .connectionReset)
        #expect(response.errorCode == 1220)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func silentServerTimesOut() async throws {
        let server = try await RawServer.start(.silent)
        var session = client.makeSession()
        let response = await session.send(
            try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .milliseconds(300))
        )
        #expect(response.error == .requestTimeout)
        #expect(response.status == 0)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func closeDelimitedBodyIsComplete() async throws {
        let server = try await RawServer.start(.replyThenClose(Array("HTTP/1.0 200 OK\r\n\r\nuntil close".utf8)))
        var session = client.makeSession()
        let response = await session.send(
            try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3), keepBody: true)
        )
        #expect(response.error == nil)
        #expect(response.status == 200)
        #expect(response.proto == "HTTP/1.0")
        #expect(response.body == Array("until close".utf8))
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func serverClosingAKeptAliveConnectionIsRetriedOnce() async throws {
        // Answers like a keep-alive server, then closes anyway: the next request finds the
        // connection dead (or dying) and must succeed on a fresh one.
        let server = try await RawServer.start(.replyThenClose(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)))
        var session = client.makeSession()
        for _ in 0..<5 {
            let response = await session.send(
                try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3), keepBody: true)
            )
            #expect(response.error == nil)
            #expect(response.body == Array("ok".utf8))
        }
        // Each request needed its own connection (the server closed each after answering).
        #expect(server.acceptedConnections == 5)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func chunkedResponsesKeepTheConnection() async throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\n\r\n"
        let server = try await RawServer.start(.replyAndKeepOpen(Array(chunked.utf8)))
        var session = client.makeSession()
        for _ in 0..<3 {
            let response = await session.send(
                try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3), keepBody: true)
            )
            #expect(response.error == nil)
            #expect(response.body == Array("abcdefg".utf8))
            #expect(response.bodySize == 7)
            #expect(response.bytesReceived == chunked.utf8.count)
        }
        #expect(server.acceptedConnections == 1)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func corruptGzipIsADecompressionFailure() async throws {
        let server = try await RawServer.start(
            .replyAndKeepOpen(Array("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope".utf8))
        )
        var session = client.makeSession()
        let response = await session.send(
            try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3), keepBody: true)
        )
        #expect(response.status == 200)
        if case .decompressionFailed = response.error {} else {
            Issue.record("expected a decompression failure, got \(String(describing: response.error))")
        }
        #expect(response.errorCode == 1701)
        await session.close()
        await server.shutdown()
        await client.shutdown()
    }

    @Test func invalidRequestsAreRejectedUpFront() throws {
        #expect(throws: HTTPFailure.self) { try HTTPRequest(method: "GE T", url: "http://127.0.0.1/") }
        #expect(throws: HTTPFailure.self) { try HTTPRequest(url: "http://127.0.0.1/", headers: [("X", "a\r\nb")]) }
        #expect(throws: HTTPFailure.self) { try HTTPRequest(url: "http://127.0.0.1/", headers: [("Bad Name", "a")]) }
        #expect(throws: HTTPFailure.invalidURL("ftp://x/: expected an absolute URL starting with http:// or https://")) {
            try HTTPRequest(url: "ftp://x/")
        }
    }
}
