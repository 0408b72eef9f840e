import Foundation
import LoadTreeHTTP
import Testing

/// A TLS target with a generated CA, the CA written to a temporary PEM file, and a client
/// configured with `tls`; everything is torn down afterwards.
private func withTLSTarget(
    names: [String] = ["localhost", "127.0.0.1", "::1"],
    tls: (_ caFile: String) -> TLSClientOptions,
    _ body: (TargetServer, HTTPClient, TargetTLSIdentity) async throws -> Void
) async throws {
    let identity = try TargetTLSIdentity.generate(names: names)
    let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("loadtree-ca-\(UUID().uuidString).pem").path
    try identity.writeCACertificate(to: caFile)
    defer { try? FileManager.default.removeItem(atPath: caFile) }
    let server = try await TargetServer.start(host: "127.0.0.1", port: 0, tls: TargetTLS(identity: identity))
    let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .seconds(10), tls: tls(caFile)))
    do {
        try await body(server, client, identity)
    } catch {
        await client.shutdown()
        await server.shutdown()
        throw error
    }
    await client.shutdown()
    await server.shutdown()
}

private func https(_ server: TargetServer, _ path: String, host: String = "localhost", method: String = "GET", body: [UInt8]? = nil) throws -> HTTPRequest {
    try HTTPRequest(
        method: method, url: "https://\(host):\(server.port)\(path)", headers: body == nil ? [] : [("Content-Type", "text/plain")],
        body: body, timeout: .seconds(30), keepBody: true
    )
}

@Suite("HTTPS against the embedded TLS target")
struct TLSClientTests {
    @Test func getAndPostWithTheGeneratedCATrusted() async throws {
        try await withTLSTarget(tls: { TLSClientOptions(caFile: $0) }) { server, client, _ in
            var session = client.makeSession()
            let get = await session.send(try https(server, "/json"))
            #expect(get.error == nil)
            #expect(get.status == 200)
            #expect(String(decoding: get.body ?? [], as: UTF8.self).contains("\"count\":3"))
            let payload = Array("hello over TLS".utf8)
            let post = await session.send(try https(server, "/echo", method: "POST", body: payload))
            #expect(post.status == 200)
            #expect(String(decoding: post.body ?? [], as: UTF8.self).contains("hello over TLS"))
            // An IP literal: no SNI, the certificate's IP address is checked instead.
            let byAddress = await session.send(try https(server, "/", host: "127.0.0.1"))
            #expect(byAddress.status == 200)
            #expect(byAddress.error == nil)
            await session.close()
        }
    }

    @Test func handshakeIsTimedOnTheFirstRequestOnly() async throws {
        try await withTLSTarget(tls: { TLSClientOptions(caFile: $0) }) { server, client, _ in
            var session = client.makeSession()
            let template = try https(server, "/")
            let first = await session.send(template)
            #expect(first.status == 200, "\(String(describing: first.error))")
            #expect(first.timings.connecting > .zero)
            #expect(first.timings.tlsHandshaking > .zero)
            for _ in 0..<5 {
                let reused = await session.send(template)
                #expect(reused.status == 200)
                #expect(reused.timings.tlsHandshaking == .zero)
                #expect(reused.timings.connecting == .zero)
            }
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func alpnReportsTheNegotiatedProtocol() async throws {
        try await withTLSTarget(tls: { TLSClientOptions(caFile: $0) }) { server, client, _ in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/"))
            #expect(response.status == 200)
            // The target offers h2 and http/1.1; "auto" offers both, h2 first.
            #expect(response.tls?.negotiatedProtocol == "h2")
            #expect(response.proto == "HTTP/2.0")
            #expect(response.tls?.version == "tls1.3")
            #expect(response.url.scheme == .https)
            await session.close()
        }
    }

    @Test func anHTTP1OnlyOfferGetsHTTP1FromAServerThatPrefersH2() async throws {
        let identity = try TargetTLSIdentity.generate()
        let server = try await TargetServer.start(
            host: "127.0.0.1", port: 0, tls: TargetTLS(identity: identity, applicationProtocols: ["h2", "http/1.1"])
        )
        let client = HTTPClient(threads: 1, configuration: .init(tls: TLSClientOptions(insecureSkipVerify: true)))
        var session = client.makeSession()
        // Version "1.1" offers only http/1.1 ("auto" would offer h2 first and get it).
        let request = try HTTPRequest(url: "https://localhost:\(server.port)/", timeout: .seconds(5), version: .http1_1)
        let response = await session.send(request)
        #expect(response.status == 200, "\(String(describing: response.error))")
        #expect(response.tls?.negotiatedProtocol == ALPNOffer.http1Identifier)
        await session.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func plainHTTPHasNoTLSInfoAndNoHandshakeTime() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/")
            #expect(response.status == 200)
            #expect(response.tls == nil)
            #expect(response.timings.tlsHandshaking == .zero)
            await session.close()
        }
    }

    @Test func anUnknownCAIsAFailedRequestWithAReason() async throws {
        try await withTLSTarget(tls: { _ in TLSClientOptions() }) { server, client, _ in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/"))
            #expect(response.status == 0)
            guard case .tls(.certificateUntrusted(let host, _))? = response.error else {
                Issue.record("expected an untrusted-certificate failure, got \(String(describing: response.error))")
                return
            }
            #expect(host == "localhost")
            #expect(response.errorCode == 1310)
            #expect(response.error?.description.hasPrefix("TLS: certificate verify failed for localhost: ") == true)
            #expect(server.requestsServed == 0)
            await session.close()
        }
    }

    @Test func aCertificateForAnotherHostIsAFailedRequest() async throws {
        try await withTLSTarget(names: ["other.example"], tls: { TLSClientOptions(caFile: $0) }) { server, client, _ in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/"))
            #expect(response.status == 0)
            #expect(response.error == .tls(.hostnameMismatch(host: "localhost")))
            #expect(response.errorCode == 1311)
            await session.close()
        }
    }

    @Test func insecureSkipVerifyAcceptsAnyCertificate() async throws {
        try await withTLSTarget(names: ["other.example"], tls: { _ in TLSClientOptions(insecureSkipVerify: true) }) { server, client, _ in
            var session = client.makeSession()
            let response = await session.send(try https(server, "/"))
            #expect(response.error == nil)
            #expect(response.status == 200)
            await session.close()
        }
    }

    @Test func anHTTPSRequestToAPlainPortFailsCleanly() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.send(try HTTPRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(5)))
            #expect(response.status == 0)
            guard case .tls? = response.error else {
                Issue.record("expected a TLS failure, got \(String(describing: response.error))")
                return
            }
            await session.close()
        }
    }

    @Test func aServerSilentDuringTheHandshakeTimesOut() async throws {
        let server = try await RawServer.start(.silent)
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .milliseconds(300)))
        var session = client.makeSession()
        // The connect timeout bounds the handshake...
        let slow = await session.send(try HTTPRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(10)))
        #expect(slow.error == .tls(.handshakeTimeout(host: "127.0.0.1")))
        #expect(slow.errorCode == 1300)
        // ...unless the request's own deadline comes first.
        let short = await session.send(try HTTPRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .milliseconds(100)))
        #expect(short.error == .requestTimeout)
        await session.close()
        await client.shutdown()
        await server.shutdown()
    }

    @Test func aBadCAFileIsReportedBeforeAnyRequest() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loadtree-not-a-ca-\(UUID().uuidString).pem").path
        try "not a certificate\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = HTTPClient(threads: 1, configuration: .init(tls: TLSClientOptions(caFile: path)))
        #expect(throws: TLSFailure.self) { try client.prepareTLS() }
        await client.shutdown()
    }

    @Test func theCAFileIsPEM() throws {
        let identity = try TargetTLSIdentity.generate()
        #expect(identity.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(identity.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(identity.caCertificatePEM != identity.certificatePEM)
    }
}
