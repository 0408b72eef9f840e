import NIOCore
import Synchronization

/// Closes a session's connections when the task using it is cancelled: one cancellation
/// handler for a VU's whole life instead of one per request.
///
/// Installing and removing a task cancellation handler costs status-record operations on the
/// task, a visible share of a request's CPU time at full speed. A session that hands out a
/// canceller (``HTTPSession/shareCancellation()``) skips its per-request handler; the VU installs
/// `cancel()` once, around all its iterations. Closing a connection fails its in-flight exchange
/// at once, so a stopping run never waits for slow responses; a connection opened after
/// cancellation is closed as it is registered.
public final class ConnectionCanceller: Sendable {
    private struct State {
        var cancelled = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())

    init() {}

    /// Closes every registered connection, and any registered later.
    public func cancel() {
        let channels = state.withLock { state in
            state.cancelled = true
            defer { state.channels = [:] }
            return Array(state.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Tracks a new connection of the session (closed at once after cancellation).
    func register(_ channel: any Channel) {
        let closeNow = state.withLock { state in
            if state.cancelled { return true }
            // A session holds a connection or two; drop the ones already closed.
            if state.channels.count >= 8 { state.channels = state.channels.filter { $0.value.isActive } }
            state.channels[ObjectIdentifier(channel)] = channel
            return false
        }
        if closeNow { channel.close(promise: nil) }
    }
}
