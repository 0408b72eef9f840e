import LoadTreeHTTP
import Testing

/// What the client writes: checked through the target's `/headers` echo and exact sizes.
@Suite("Request encoding")
struct RequestEncodingTests {
    @Test func exactWireFormOfAPost() throws {
        let request = try HTTPRequest(
            method: "POST", url: "http://example.test:8080/p?q=1", headers: [("Content-Type", "text/plain")],
            body: Array("hi".utf8)
        )
        let expected = "POST /p?q=1 HTTP/1.1\r\nHost: example.test:8080\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 2\r\n\r\nhi"
        #expect(request.encodedSize == expected.utf8.count)
    }

    @Test func callerHostAndLengthAreNotDuplicated() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/headers", headers: [("host", "custom.example")])
            #expect(response.status == 200)
            #expect(response.text == #"{"headers":{"host":"custom.example"}}"#)
            await session.close()
        }
    }

    @Test func headerLookupIgnoresCase() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/json")
            #expect(response.header("CONTENT-LENGTH") == "\(response.bodySize)")
            #expect(response.header("content-length") == response.header("Content-Length"))
            #expect(response.header("x-missing") == nil)
            await session.close()
        }
    }

    @Test func serverShutdownClosesTheListener() async throws {
        let server = try await TargetServer.start()
        #expect(server.port > 0)
        #expect(TargetServer.routes.count == 14)
        await server.shutdown()
        await server.waitUntilClosed()
        let client = HTTPClient(threads: 1)
        var session = client.makeSession()
        let response = await session.send(try HTTPRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(3)))
        #expect(response.error == .connectionRefused("127.0.0.1:\(server.port)"))
        await session.close()
        await client.shutdown()
    }
}
