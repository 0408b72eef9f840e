import LoadTreeHTTP
import Testing

@Suite("HTTPURL parsing and resolution")
struct HTTPURLTests {
    @Test func parsesHostPortAndTarget() throws {
        let url = try HTTPURL("http://Example.COM:8080/a/b?x=1&y=2#frag")
        #expect(url.host == "example.com")
        #expect(url.port == 8080)
        #expect(url.target == "/a/b?x=1&y=2")
        #expect(url.authority == "example.com:8080")
        #expect(url.description == "http://example.com:8080/a/b?x=1&y=2")
    }

    @Test func defaultsPortAndPath() throws {
        let bare = try HTTPURL("HTTP://host")
        #expect(bare.port == 80)
        #expect(bare.target == "/")
        #expect(bare.authority == "host")
        #expect(try HTTPURL("http://host?q=1").target == "/?q=1")
    }

    @Test func parsesIPv6Literals() throws {
        let url = try HTTPURL("http://[::1]:9000/x")
        #expect(url.host == "::1")
        #expect(url.port == 9000)
        #expect(url.authority == "[::1]:9000")
        #expect(try HTTPURL("http://[::1]/").authority == "[::1]")
    }

    @Test(arguments: [
        "ftp://host/", "host/path", "https://", "http://", "http://:80/", "http://host:0/",
        "http://host:65536/", "http://host:abc/", "http://user@host/", "http://[::1/", "http://host/a b",
    ])
    func rejectsInvalidURLs(_ text: String) {
        #expect(throws: HTTPFailure.self) { try HTTPURL(text) }
    }

    @Test func resolvesLocations() throws {
        let base = try HTTPURL("http://h:81/dir/page?q=1")
        #expect(try base.resolving("/other").description == "http://h:81/other")
        #expect(try base.resolving("next?x=2").description == "http://h:81/dir/next?x=2")
        #expect(try base.resolving("?x=3").description == "http://h:81/dir/page?x=3")
        #expect(try base.resolving("//elsewhere:82/z").description == "http://elsewhere:82/z")
        #expect(try base.resolving("http://abs/y").description == "http://abs/y")
        #expect(try base.resolving("https://secure/").description == "https://secure/")
    }

    @Test func httpsURLsDefaultTo443AndKeepTheirScheme() throws {
        let url = try HTTPURL("HTTPS://Example.org/a?b=1")
        #expect(url.scheme == .https)
        #expect(url.port == 443)
        #expect(url.authority == "example.org")
        #expect(url.description == "https://example.org/a?b=1")
        let other = try HTTPURL("https://example.org:8443/")
        #expect(other.authority == "example.org:8443")
        #expect(try other.resolving("/next").description == "https://example.org:8443/next")
        #expect(try other.resolving("//cdn.example.org/x").description == "https://cdn.example.org/x")
        #expect(try HTTPURL("https://example.org:80/").authority == "example.org:80")
        #expect(!url.hostIsIPAddress)
        #expect(try HTTPURL("https://127.0.0.1/").hostIsIPAddress)
        #expect(try HTTPURL("https://[::1]:8443/").hostIsIPAddress)
    }
}
