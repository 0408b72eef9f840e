import LoadTreeCore
import LoadTreeHTTP

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
    /// Throws `CancellationError` when the task is cancelled. On an event loop (a VU, an
    /// arrival-rate dispatcher) the loop's own timer wakes the task (``EventLoopSleep``).
    public func sleep(until offset: Int64) async throws {
        let remaining = offset - now()
        if remaining <= 0 { return }
        try await EventLoopSleep.sleep(nanoseconds: remaining)
    }
}
