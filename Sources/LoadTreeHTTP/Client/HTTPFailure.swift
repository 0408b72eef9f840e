/// Why a request produced no usable response.
///
/// A load test must record failures as data (`http_req_failed`, an `error_code` tag) rather than
/// stop, so the client never throws these from `HTTPSession.send`: they arrive in
/// `HTTPResponse.error`. Each case carries an `errorCode` in the reference tool's numbering so
/// dashboards and thresholds written for it keep working.
public enum HTTPFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL could not be parsed or uses an unsupported scheme.
    case invalidURL(String)
    /// The request itself cannot be written (bad method or header text).
    case invalidRequest(String)
    /// The host name could not be resolved.
    case dnsFailure(String)
    /// Nothing listens on the target address (TCP RST on connect).
    case connectionRefused(String)
    /// The TCP connection was not established within the connect timeout.
    case connectTimeout
    /// The peer reset or closed the connection before the response was complete.
    case connectionReset
    /// Another socket-level failure while connecting or exchanging data.
    case connectionFailed(String)
    /// The whole exchange (connect, send, wait, receive, redirects) exceeded the request timeout.
    case requestTimeout
    /// The peer sent bytes that are not a valid HTTP/1.x response.
    case badResponse(String)
    /// The body was announced as gzip but could not be inflated.
    case decompressionFailed(String)
    /// More redirects than allowed; the response is the last redirect received.
    case tooManyRedirects(Int)
    /// The VU's task was cancelled (the run is stopping) while the request was in flight.
    case cancelled
    /// The HTTP/2 server sent GOAWAY before processing this request (error code as sent);
    /// the session opens a new connection for the next request.
    case http2GoAway(errorCode: UInt32)
    /// The HTTP/2 server reset this request's stream with RST_STREAM (error code as sent).
    case http2StreamReset(errorCode: UInt32)
    /// The HTTP/2 server broke the protocol (bad frame, bad header block, flow-control
    /// violation); the connection is closed and the next request reconnects.
    case http2ProtocolError(String)
    /// The TLS handshake failed: an untrusted certificate, a host name mismatch, a timeout.
    case tls(TLSFailure)

    /// The numeric code the reference tool reports in its `error_code` tag.
    ///
    /// Codes follow the reference's ranges: 1020 invalid URL, 1050 request timeout, 1100/1101 DNS,
    /// 1200 generic TCP, 1211 dial timeout, 1212 dial refused, 1220 reset by peer, 1300 TLS, 1310 unknown
    /// authority, 1311 host name mismatch, 1701 decompression.
    /// The reference has no codes for a malformed response or a redirect limit (it returns the
    /// last redirect without error) or an interrupted request; LoadTree uses 1000 (its generic
    /// code), 1030 and 1040. HTTP/2 as the reference: 1610 GOAWAY, 1630 stream error, 1650
    /// connection error, plus 1 + the HTTP/2 error code when it is a known one (1631 is a
    /// stream reset with PROTOCOL_ERROR).
    public var errorCode: Int {
        switch self {
        case .invalidURL: 1020
        case .invalidRequest: 1000
        case .dnsFailure: 1101
        case .connectionRefused: 1212
        case .connectTimeout: 1211
        case .connectionReset: 1220
        case .connectionFailed: 1200
        case .requestTimeout: 1050
        case .badResponse: 1000
        case .decompressionFailed: 1701
        case .tooManyRedirects: 1030
        case .cancelled: 1040
        case .http2GoAway(let code): 1610 + Self.http2CodeOffset(code)
        case .http2StreamReset(let code): 1630 + Self.http2CodeOffset(code)
        case .http2ProtocolError: 1650
        case .tls(let failure): failure.errorCode
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let detail):
            "invalid URL: \(detail)"
        case .invalidRequest(let detail):
            "invalid request: \(detail)"
        case .dnsFailure(let detail):
            "DNS lookup failed: \(detail); check the host name in the URL"
        case .connectionRefused(let target):
            "connection refused by \(target); is the target running and listening on that port?"
        case .connectTimeout:
            "connect timeout: no TCP connection within the connect timeout; the target may be overloaded or firewalled"
        case .connectionReset:
            "connection reset: the server closed the connection before the response was complete"
        case .connectionFailed(let detail):
            "connection failed: \(detail)"
        case .requestTimeout:
            "request timeout: no complete response within the request timeout; raise `timeout` or check the target"
        case .badResponse(let detail):
            "bad response: \(detail)"
        case .decompressionFailed(let detail):
            "cannot decompress gzip body: \(detail)"
        case .tooManyRedirects(let count):
            "stopped after \(count) redirects; raise `maxRedirects` if the chain is expected"
        case .cancelled:
            "request interrupted: the run is stopping"
        case .http2GoAway(let code):
            "HTTP/2 GOAWAY (\(Self.http2CodeName(code))): the server is closing the connection and did not process this request; the next request reconnects"
        case .http2StreamReset(let code):
            "HTTP/2 stream reset by the server (RST_STREAM \(Self.http2CodeName(code))) before the response was complete"
        case .http2ProtocolError(let detail):
            "HTTP/2 protocol error: \(detail); the connection was closed"
        case .tls(let failure):
            failure.description
        }
    }

    /// The names of HTTP/2 error codes (RFC 9113 section 7), for messages.
    static let http2CodeNames = [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ]

    static func http2CodeName(_ code: UInt32) -> String {
        code < http2CodeNames.count ? http2CodeNames[Int(code)] : "error code \(code)"
    }

    /// The reference's offset within an HTTP/2 error range: 1 + the code for known codes, else 0.
    private static func http2CodeOffset(_ code: UInt32) -> Int {
        code < http2CodeNames.count ? 1 + Int(code) : 0
    }
}
