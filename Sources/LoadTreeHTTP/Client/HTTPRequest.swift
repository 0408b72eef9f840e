import NIOCore

/// One HTTP/1.1 request, encoded to its wire bytes when it is created.
///
/// Encoding up front makes a request a reusable template: sending the same value again and
/// again (the common case in a load test with a fixed URL) writes the same buffer without
/// re-encoding or copying. `Host` is added from the URL and `Content-Length` from the body,
/// unless the caller set them.
public struct HTTPRequest: Sendable {
    /// What never changes after encoding, behind one reference: a request is copied on its way
    /// through the session (and redirects), and one retain is cheaper than one per field.
    private final class Encoded: Sendable {
        let method: String
        let url: HTTPURL
        let headers: [(String, String)]
        let body: [UInt8]?
        let version: HTTPVersion
        let wireBytes: ByteBuffer
        let http2Headers: HTTP2HeaderBlock?

        init(method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?, version: HTTPVersion) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.version = version
            self.wireBytes = HTTPRequest.encode(method: method, url: url, headers: headers, body: body)
            self.http2Headers = HTTPRequest.http2Headers(version: version, method: method, url: url, headers: headers, body: body)
        }
    }

    private let encoded: Encoded

    public var method: String { encoded.method }
    public var url: HTTPURL { encoded.url }
    /// Headers as given by the caller, in order (without the added `Host`/`Content-Length`).
    public var headers: [(String, String)] { encoded.headers }
    public var body: [UInt8]? { encoded.body }
    /// Limit for the whole exchange: connecting, sending, waiting, receiving and redirects.
    public var timeout: Duration
    /// Keep the (decompressed) body in the response; otherwise only its size is counted.
    public var keepBody: Bool
    /// Keep the response headers; otherwise only the ones the client itself needs are read.
    public var keepHeaders: Bool
    /// Redirect limit for this request; `nil` uses the client's configuration.
    public var maxRedirects: Int?
    /// The HTTP version to use (see ``HTTPVersion``).
    public var version: HTTPVersion { encoded.version }

    /// The request line, headers and body as written to the socket.
    var wireBytes: ByteBuffer { encoded.wireBytes }
    /// The HTTP/2 header list, built up front when the request may go over HTTP/2.
    var http2Headers: HTTP2HeaderBlock? { encoded.http2Headers }

    /// Bytes this request puts on the wire (for `data_sent`).
    public var encodedSize: Int { wireBytes.readableBytes }

    public init(
        method: String = "GET",
        url: HTTPURL,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(60),
        keepBody: Bool = false,
        keepHeaders: Bool = true,
        maxRedirects: Int? = nil,
        version: HTTPVersion = .auto
    ) throws(HTTPFailure) {
        guard !method.isEmpty, method.utf8.allSatisfy(ASCII.isTokenByte) else {
            throw .invalidRequest("method \"\(method)\" is not a valid HTTP token")
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(ASCII.isTokenByte) else {
                throw .invalidRequest("header name \"\(name)\" is not a valid HTTP token")
            }
            guard !value.utf8.contains(where: { $0 == ASCII.cr || $0 == ASCII.lf || $0 == 0 }) else {
                throw .invalidRequest("the value of header \"\(name)\" contains a line break")
            }
        }
        self.encoded = Encoded(method: method, url: url, headers: headers, body: body, version: version)
        self.timeout = timeout
        self.keepBody = keepBody
        self.keepHeaders = keepHeaders
        self.maxRedirects = maxRedirects
    }

    /// Convenience: parses `url` first.
    public init(
        method: String = "GET",
        url: String,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(60),
        keepBody: Bool = false,
        keepHeaders: Bool = true,
        maxRedirects: Int? = nil,
        version: HTTPVersion = .auto
    ) throws(HTTPFailure) {
        try self.init(
            method: method, url: try HTTPURL(url), headers: headers, body: body, timeout: timeout,
            keepBody: keepBody, keepHeaders: keepHeaders, maxRedirects: maxRedirects, version: version
        )
    }

    /// The same request options, sent to `url` with `method` and `body` (for redirects).
    func redirected(to url: HTTPURL, method: String, keepBody keepsBody: Bool) -> HTTPRequest {
        let sameHost = url.host == self.url.host && url.port == self.url.port
        let kept = headers.filter { header in
            let name = header.0.lowercased()
            if !keepsBody, name == "content-type" || name == "content-length" { return false }
            if !sameHost, name == "authorization" || name == "cookie" { return false }
            return true
        }
        var next = self
        next.replace(method: method, url: url, headers: kept, body: keepsBody ? body : nil)
        return next
    }

    private mutating func replace(method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?) {
        self = Self(unchecked: self, method: method, url: url, headers: headers, body: body)
    }

    private init(unchecked base: HTTPRequest, method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?) {
        self.encoded = Encoded(method: method, url: url, headers: headers, body: body, version: base.version)
        self.timeout = base.timeout
        self.keepBody = base.keepBody
        self.keepHeaders = base.keepHeaders
        self.maxRedirects = base.maxRedirects
    }

    /// The HTTP/2 header list when `version` may pick HTTP/2 for `url`, else nil (no cost for
    /// HTTP/1.1 requests).
    fileprivate static func http2Headers(
        version: HTTPVersion, method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?
    ) -> HTTP2HeaderBlock? {
        guard version == .http2 || (version == .auto && url.scheme != .http) else { return nil }
        return HTTP2HeaderBlock(method: method, url: url, headers: headers, body: body)
    }

    fileprivate static func encode(method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?) -> ByteBuffer {
        var hasHost = false
        var hasLength = false
        var size = method.utf8.count + url.target.utf8.count + 32 + url.authority.utf8.count + (body?.count ?? 0)
        for (name, value) in headers {
            size += name.utf8.count + value.utf8.count + 4
            if ASCII.equalsIgnoringCase(name, "host") { hasHost = true }
            if ASCII.equalsIgnoringCase(name, "content-length") { hasLength = true }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeString(method)
        buffer.writeStaticString(" ")
        buffer.writeString(url.target)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        if !hasHost {
            buffer.writeStaticString("Host: ")
            buffer.writeString(url.authority)
            buffer.writeStaticString("\r\n")
        }
        for (name, value) in headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if !hasLength, let body, !body.isEmpty || !["GET", "HEAD"].contains(method) {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(body.count))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        if let body {
            buffer.writeBytes(body)
        }
        return buffer
    }
}
