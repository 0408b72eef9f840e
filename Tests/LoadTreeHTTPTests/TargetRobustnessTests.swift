import LoadTreeHTTP
import Testing

/// The target under requests a load tester's client never sends: pipelined, malformed.
@Suite("Embedded target robustness")
struct TargetRobustnessTests {
    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTarget { server, _ in
            let requests = "GET /delay?ms=100 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /status/404 HTTP/1.1\r\nHost: x\r\n\r\n"
            let text = try await RawClient.exchange(port: server.port, bytes: Array(requests.utf8)) { text in
                text.contains("status 404\n")
            }
            let delayed = try #require(text.range(of: #"{"delayed_ms":100}"#))
            let item = try #require(text.range(of: #"{"id":7,"name":"item 7"}"#))
            let missing = try #require(text.range(of: "HTTP/1.1 404"))
            #expect(delayed.lowerBound < item.lowerBound)
            #expect(item.lowerBound < missing.lowerBound)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func malformedRequestGets400AndServerStaysUp() async throws {
        try await withTarget { server, client in
            let text = try await RawClient.exchange(
                port: server.port, bytes: Array("THIS IS NOT HTTP\r\n\r\n\u{0}\u{1}".utf8)
            ) { $0.contains("\r\n\r\n") }
            #expect(text.hasPrefix("HTTP/1.1 400"))
            var session = client.makeSession()
            #expect(await session.fetch(server, "/json").status == 200)
            await session.close()
        }
    }

    @Test func connectionCloseRequestIsHonoured() async throws {
        try await withTarget { server, _ in
            let text = try await RawClient.exchange(
                port: server.port, bytes: Array("GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
            ) { _ in false }  // returns when the server closes
            #expect(text.hasPrefix("HTTP/1.1 200 OK"))
            #expect(text.lowercased().contains("connection: close"))
            #expect(text.hasSuffix(#""count":3}"#))
        }
    }

    @Test func http10ClientIsServed() async throws {
        try await withTarget { server, _ in
            let text = try await RawClient.exchange(
                port: server.port, bytes: Array("GET /items/1 HTTP/1.0\r\n\r\n".utf8)
            ) { _ in false }
            #expect(text.hasPrefix("HTTP/1.0 200 OK"))
            #expect(text.hasSuffix(#"{"id":1,"name":"item 1"}"#))
        }
    }

    @Test func startFailsCleanlyOnABusyPort() async throws {
        try await withTarget { server, _ in
            await #expect(throws: TargetServerError.self) {
                _ = try await TargetServer.start(host: "127.0.0.1", port: server.port)
            }
        }
    }
}
