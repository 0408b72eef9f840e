/// How the embedded target serves TLS: which certificate, which ALPN protocols.
///
/// Both `h2` and `http/1.1` by default: the listener tells them apart by the HTTP/2 preface,
/// so whatever ALPN settles on is served.
public struct TargetTLS: Sendable {
    public var identity: TargetTLSIdentity
    /// Offered by ALPN, most preferred first.
    public var applicationProtocols: [String]

    public init(identity: TargetTLSIdentity, applicationProtocols: [String] = ["h2", "http/1.1"]) {
        self.identity = identity
        self.applicationProtocols = applicationProtocols
    }
}
