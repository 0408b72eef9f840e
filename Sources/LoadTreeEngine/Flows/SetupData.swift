/// Runs the plan's `setup` and `teardown` exactly once for the whole test and hands setup's
/// captures to every VU as `${setup.NAME}`.
///
/// Locally the body simply runs; in a tree the same seam makes one agent run it and sends the
/// result to all others.
public protocol SharedOnce: Sendable {
    /// Runs `body` once under `id` in the whole test and returns its result everywhere.
    func once(_ id: String, _ body: @Sendable () async throws -> [String: String]) async throws -> [String: String]
}

/// The local case: a tree of one node runs everything itself.
public struct LocalOnce: SharedOnce {
    public init() {}

    public func once(_ id: String, _ body: @Sendable () async throws -> [String: String]) async throws -> [String: String] {
        try await body()
    }
}
