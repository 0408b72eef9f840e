/// How a client verifies the servers it talks to over `https://`.
///
/// Plans set this once for the whole run (`tls:` in the plan), because a TLS context is
/// expensive to build and every VU shares the client's contexts. The default verifies
/// against the system trust store, as a browser would.
public struct TLSClientOptions: Sendable, Hashable {
    /// A PEM file of CA certificates trusted in addition to the system trust store, e.g. the
    /// CA of a test environment or the one `loadtree target --write-ca` writes.
    public var caFile: String?
    /// Accept any certificate for any host. Only for test targets: the run header and the
    /// summary say so loudly, because nothing then tells the real server from another.
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}
