/// The plan's `http:` options, per scenario and per request: which HTTP version to speak and,
/// for HTTP/2, how many connections the scenario's VUs share.
///
/// Per-request values override the scenario's. `nil` means "not set here" so that the two
/// levels can be merged; the engine applies the defaults (version `auto`, one connection per VU).
public struct HTTPOptions: Sendable, Equatable {
    /// The plan's words for HTTP versions.
    public enum Version: String, Sendable, Equatable, CaseIterable {
        /// HTTP/1.1 only.
        case http1_1 = "1.1"
        /// HTTP/2: h2c with prior knowledge on `http://`, ALPN `h2` over TLS.
        case http2 = "2"
        /// HTTP/1.1 on plaintext, whatever ALPN picks over TLS.
        case auto
    }

    public var version: Version?
    /// HTTP/2 connections per host shared by all VUs of the scenario (scenario level only);
    /// `nil` keeps one connection per VU.
    public var connections: Int?

    public init(version: Version? = nil, connections: Int? = nil) {
        self.version = version
        self.connections = connections
    }

    /// These options with `other`'s set values taking precedence.
    public func overridden(by other: HTTPOptions?) -> HTTPOptions {
        guard let other else { return self }
        return HTTPOptions(version: other.version ?? version, connections: other.connections ?? connections)
    }
}
