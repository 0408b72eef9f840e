import LoadTreeCore

/// The test's clock: nanoseconds since the run started, on the monotonic clock.
///
/// Every schedule offset (scenario start, iteration start, VU step) is relative to one instant,
/// so that late wake-ups never shift later events.
public struct RunClock: Sendable {
    public let origin: ContinuousClock.Instant

    public init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    /// Nanoseconds since the origin.
    public func now() -> Int64 {
        (ContinuousClock.now - origin).nanoseconds
    }

    /// Sleeps until `offset` ns after the origin; returns at once when that has passed.
    /// Throws `CancellationError` when the task is cancelled.
    public func sleep(until offset: Int64) async throws {
        let deadline = origin.advanced(by: .nanoseconds(offset))
        if deadline <= .now { return }
        try await Task.sleep(until: deadline, tolerance: .microseconds(50), clock: .continuous)
    }
}
