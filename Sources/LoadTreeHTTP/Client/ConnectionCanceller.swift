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
/// cancellation is closed as it is registered. Connections shared with other sessions (an
/// HTTP/2 pool) are not closed: a registered action resets only this session's streams there.
public final class ConnectionCanceller: Sendable {
    private struct State {
        var cancelled = false
        var channels: [ObjectIdentifier: any Channel] = [:]
        var actions: [@Sendable (ConnectionCanceller) -> Void] = []
    }

    private let state = Mutex(State())
    /// `state.cancelled`, readable without the lock on every request.
    private let cancelled = Atomic<Bool>(false)

    init() {}

    /// Closes every registered connection, and any registered later.
    public func cancel() {
        let (channels, actions) = state.withLock { state in
            state.cancelled = true
            cancelled.store(true, ordering: .sequentiallyConsistent)
            defer {
                state.channels = [:]
                state.actions = []
            }
            return (Array(state.channels.values), state.actions)
        }
        for channel in channels { channel.close(promise: nil) }
        for action in actions { action(self) }
    }

    /// Whether ``cancel()`` was called. An HTTP/2 request reads it on its connection's event
    /// loop just before its stream is submitted, so a request that starts after cancellation
    /// fails at once instead of running unseen by the registered actions.
    var isCancelled: Bool { cancelled.load(ordering: .sequentiallyConsistent) }

    /// Runs `action` on cancellation (at once when already cancelled). It is handed the
    /// canceller rather than capturing it, which would be a cycle.
    func onCancel(_ action: @escaping @Sendable (ConnectionCanceller) -> Void) {
        let runNow = state.withLock { state in
            if state.cancelled { return true }
            state.actions.append(action)
            return false
        }
        if runNow { action(self) }
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
