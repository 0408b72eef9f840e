/// The version of the tree's wire protocol (`loadtree.v1`) that this build speaks.
///
/// Why a constant of its own: a child puts it in `Hello.protocolVersion` and a parent answers
/// a version it does not speak with a `Rejection` (reason `.protocolVersion`) instead of
/// misreading the stream. Adding fields to the `.proto` keeps the version; a change an older
/// peer would misread (a renumbered or retyped field, new required behaviour) raises it.
public enum WireVersion {
    /// The protocol version this build speaks and sends in `Hello` and `Welcome`.
    ///
    /// 2: metric batches number their series per stream, gauges travel as steps of the
    /// tree-wide total and small trends uncompressed (see `tree.proto`). A version-1 parent
    /// would read the numbered entries as nameless and every gauge as 0, so 1 is not served.
    public static let current: UInt32 = 2

    /// Every protocol version this build can serve, for `Rejection.supportedProtocolVersions`.
    public static let supported: [UInt32] = [current]

    /// Whether a peer announcing `version` can be served.
    public static func isSupported(_ version: UInt32) -> Bool {
        supported.contains(version)
    }
}
