import Testing

@testable import LoadTreeHTTP

/// The HTTP/2 header list a request turns into.
@Suite("HTTP/2 header block")
struct HTTP2HeaderBlockTests {
    @Test func pseudoHeadersFirstThenLowercasedHeadersWithoutConnectionOnes() throws {
        let request = try HTTPRequest(
            method: "POST", url: "http://example.test:8080/a?b=1",
            headers: [("Content-Type", "text/plain"), ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked"),
                      ("X-Trace", "7"), ("TE", "gzip")],
            body: Array("hello".utf8), version: .http2
        )
        let pairs = try #require(request.http2Headers).pairs
        #expect(pairs.map(\.0) == [":method", ":scheme", ":authority", ":path", "content-type", "x-trace", "content-length"])
        #expect(pairs.map(\.1) == ["POST", "http", "example.test:8080", "/a?b=1", "text/plain", "7", "5"])
    }

    @Test func hostHeaderBecomesTheAuthority() throws {
        let request = try HTTPRequest(url: "http://127.0.0.1:1/", headers: [("Host", "shop.test")], version: .http2)
        let pairs = try #require(request.http2Headers).pairs
        #expect(pairs.first { $0.0 == ":authority" }?.1 == "shop.test")
        #expect(!pairs.contains { $0.0 == "host" })
        #expect(!pairs.contains { $0.0 == "content-length" })
    }

    @Test func http1RequestsBuildNoBlock() throws {
        #expect(try HTTPRequest(url: "http://127.0.0.1:1/").http2Headers == nil)
        #expect(try HTTPRequest(url: "http://127.0.0.1:1/", version: .http1_1).http2Headers == nil)
    }

    @Test func redirectsKeepTheVersion() throws {
        let request = try HTTPRequest(method: "POST", url: "http://127.0.0.1:1/a", body: [1], version: .http2)
        let next = request.redirected(to: try HTTPURL("http://127.0.0.1:1/b"), method: "GET", keepBody: false)
        #expect(next.version == .http2)
        #expect(next.http2Headers?.pairs.first { $0.0 == ":path" }?.1 == "/b")
    }
}
