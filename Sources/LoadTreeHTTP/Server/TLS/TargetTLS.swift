/// How the embedded target serves TLS: which certificate, which ALPN protocols.
///
/// The HTTP/2 work adds `h2` to the protocols; until a listener can route on the negotiated
/// protocol it offers only `http/1.1`.
public struct TargetTLS: Sendable {
    public var identity: TargetTLSIdentity
    /// Offered by ALPN, most preferred first.
    public var applicationProtocols: [String]

    public init(identity: TargetTLSIdentity, applicationProtocols: [String] = ["http/1.1"]) {
        self.identity = identity
        self.applicationProtocols = applicationProtocols
    }
}
