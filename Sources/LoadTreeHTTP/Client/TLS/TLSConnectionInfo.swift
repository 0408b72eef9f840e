import NIOSSL

/// What the TLS layer of a connection settled on, for the responses sent over it.
///
/// Checks and tests read the negotiated protocol (ALPN) to see which HTTP version a server
/// chose; the TLS version matches the reference's `tls_version` response field.
public struct TLSConnectionInfo: Sendable, Hashable {
    /// The protocol the server chose by ALPN (`h2`, `http/1.1`), or nil if it chose none.
    public var negotiatedProtocol: String?
    /// `tls1.2` or `tls1.3` (the reference's spelling), or nil if unknown.
    public var version: String?

    public init(negotiatedProtocol: String?, version: String?) {
        self.negotiatedProtocol = negotiatedProtocol
        self.version = version
    }

    static func name(of version: TLSVersion?) -> String? {
        switch version {
        case .tlsv1: "tls1.0"
        case .tlsv11: "tls1.1"
        case .tlsv12: "tls1.2"
        case .tlsv13: "tls1.3"
        case nil: nil
        }
    }
}
