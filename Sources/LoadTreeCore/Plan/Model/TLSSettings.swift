/// The plan's `tls:` section: how `https://` targets are verified, for the whole run.
///
/// One setting per run rather than per scenario, because the HTTP client builds one TLS
/// context per setting and every VU shares it (contexts are expensive to build).
public struct TLSSettings: Sendable, Equatable {
    /// A PEM file of CA certificates trusted besides the system trust store, as written in
    /// the plan (relative paths are relative to the plan's directory).
    public var caFile: String?
    /// Accept any certificate: for test targets only, and announced loudly.
    public var insecureSkipVerify: Bool

    public init(caFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
    }

    /// The line the run header and the end-of-test summary carry when verification is off.
    public static let insecureWarning = "INSECURE: TLS verification is off"

    /// `caFile` resolved against the plan's directory.
    public func caPath(planDirectory: String) -> String? {
        guard let caFile else { return nil }
        if caFile.hasPrefix("/") || planDirectory.isEmpty { return caFile }
        return planDirectory.hasSuffix("/") ? planDirectory + caFile : planDirectory + "/" + caFile
    }
}
