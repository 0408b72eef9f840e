/// Which HTTP version a request asks for.
///
/// A load test must be able to pin the protocol (to measure HTTP/2 against a server that also
/// speaks HTTP/1.1, or the reverse) or to let the connection decide as a browser would.
/// `auto` is HTTP/1.1 on plaintext (there is nothing to negotiate without TLS) and ALPN's
/// choice over TLS; `http2` over plaintext is h2c with prior knowledge.
public enum HTTPVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case http1_1 = "1.1"
    case http2 = "2"
    case auto

    public var description: String { rawValue }
}
