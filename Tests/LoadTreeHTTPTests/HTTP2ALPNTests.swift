import Foundation
import LoadTreeHTTP
import Testing

/// HTTP/2 over TLS: ALPN choosing h2 or http/1.1 by the request's version and the server's offer.
@Suite("HTTP/2 over TLS (ALPN)")
struct HTTP2ALPNTests {
    private func withTLSTarget(
        protocols: [String] = ["h2", "http/1.1"], _ body: (TargetServer, HTTPClient) async throws -> Void
    ) async throws {
        let identity = try TargetTLSIdentity.generate(names: ["localhost", "127.0.0.1"])
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("loadtree-ca-\(UUID().uuidString).pem").path
        try identity.writeCACertificate(to: caFile)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let server = try await TargetServer.start(
            host: "127.0.0.1", port: 0, tls: TargetTLS(identity: identity, applicationProtocols: protocols)
        )
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(2), tls: TLSClientOptions(caFile: caFile)))
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

    private func https(_ server: TargetServer, _ path: String, version: HTTPVersion, method: String = "GET", body: [UInt8]? = nil) throws -> HTTPRequest {
        try HTTPRequest(
            method: method, url: "https://localhost:\(server.port)\(path)", body: body, timeout: .seconds(5), keepBody: true,
            version: version
        )
    }

    @Test func autoChoosesH2WhenTheServerOffersIt() async throws {
        try await withTLSTarget { server, client in
            var session = client.makeSession()
            let first = await session.send(try https(server, "/json", version: .auto))
            #expect(first.error == nil, "\(String(describing: first.error))")
            #expect(first.status == 200)
            #expect(first.proto == "HTTP/2.0")
            #expect(first.tls?.negotiatedProtocol == "h2")
            #expect(first.timings.tlsHandshaking > .zero)
            let second = await session.send(try https(server, "/json", version: .auto))
            #expect(second.proto == "HTTP/2.0")
            #expect(second.timings.tlsHandshaking == .zero)
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func autoFallsBackToHTTP1WhenTheServerOffersOnlyIt() async throws {
        try await withTLSTarget(protocols: ["http/1.1"]) { server, client in
            var session = client.makeSession()
            for _ in 0..<3 {
                let response = await session.send(try https(server, "/", version: .auto))
                #expect(response.status == 200)
                #expect(response.proto == "HTTP/1.1")
            }
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func version11OffersOnlyHTTP1() async throws {
        try await withTLSTarget { server, client in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/", version: .http1_1))
            #expect(response.status == 200)
            #expect(response.proto == "HTTP/1.1")
            #expect(response.tls?.negotiatedProtocol == "http/1.1")
            await session.close()
        }
    }

    @Test func version2OverTLSCarriesBodies() async throws {
        try await withTLSTarget { server, client in
            var session = client.makeSession()
            let payload = Array(repeating: UInt8(ascii: "z"), count: 100_000)
            let response = await session.send(try https(server, "/echo", version: .http2, method: "POST", body: payload))
            #expect(response.error == nil, "\(String(describing: response.error))")
            #expect(response.proto == "HTTP/2.0")
            #expect(response.body == payload)
            await session.close()
        }
    }

    @Test func version2AgainstAnHTTP1OnlyServerFailsWithAReason() async throws {
        try await withTLSTarget(protocols: ["http/1.1"]) { server, client in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/", version: .http2))
            #expect(response.status == 0)
            guard case .http2ProtocolError(let detail) = response.error else {
                Issue.record("expected an ALPN failure, got \(String(describing: response.error))")
                return
            }
            #expect(detail.contains("did not choose h2 by ALPN"))
            await session.close()
        }
    }
}
