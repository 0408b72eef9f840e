/// The outcome of `HTTPSession.send`: a response, or a failure recorded as data.
///
/// Failed exchanges are responses too (status 0, `error` set) so the engine records every
/// request the same way: timings, bytes, `http_req_failed`, `error_code`. Only a redirect
/// chain that is too long keeps the status of the last redirect beside its error.
public struct HTTPResponse: Sendable {
    /// HTTP status code, or 0 when no response was received.
    public var status: Int
    /// Response headers in received order (empty unless the request kept headers).
    public var headers: [(String, String)]
    /// The body, gzip-decoded, when the request asked to keep it.
    public var body: [UInt8]?
    /// Body bytes as received (compressed, without chunk framing).
    public var bodySize: Int
    /// Bytes written for the final hop (for `data_sent`; earlier hops are in `redirects`).
    public var bytesSent: Int
    /// Bytes read for the final hop: status line, headers and body as on the wire
    /// (for `data_received`).
    public var bytesReceived: Int
    public var timings: HTTPTimings
    /// Protocol of the response, e.g. `HTTP/1.1`.
    public var proto: String
    /// The method of the final hop (a 303 turns a POST into a GET).
    public var method: String
    /// The URL of the final hop, after redirects.
    public var url: HTTPURL
    public var error: HTTPFailure?
    /// Redirects followed before this response, in order.
    public var redirects: [HTTPHop]
    /// The `Location` header, read even when the request does not keep headers.
    public var location: String? = nil
    /// The TLS outcome of the connection the response came over (ALPN, version); nil for
    /// plain HTTP.
    public var tls: TLSConnectionInfo? = nil

    public init(
        status: Int, headers: [(String, String)] = [], body: [UInt8]? = nil, bodySize: Int = 0,
        bytesSent: Int = 0, bytesReceived: Int = 0, timings: HTTPTimings = .zero, proto: String = "HTTP/1.1",
        method: String, url: HTTPURL, error: HTTPFailure? = nil, redirects: [HTTPHop] = []
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodySize = bodySize
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.timings = timings
        self.proto = proto
        self.method = method
        self.url = url
        self.error = error
        self.redirects = redirects
    }

    /// The reference tool's `error_code`: the failure's code, else 1000 + status for 4xx and
    /// 5xx responses, else 0.
    public var errorCode: Int {
        if let error { return error.errorCode }
        return (400...599).contains(status) ? 1000 + status : 0
    }

    /// The first header named `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.0, name) }?.1
    }

    /// Request bytes written across all hops.
    public var totalBytesSent: Int { redirects.reduce(bytesSent) { $0 + $1.bytesSent } }

    /// Response bytes read across all hops.
    public var totalBytesReceived: Int { redirects.reduce(bytesReceived) { $0 + $1.bytesReceived } }
}
