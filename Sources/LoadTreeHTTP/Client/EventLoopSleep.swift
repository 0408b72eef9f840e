import NIOCore
import NIOPosix

/// Sleeping for a task that runs on an event loop (a VU, an arrival-rate dispatcher), on that
/// loop's own timer.
///
/// `Task.sleep` arms a timer on Swift's global executor: the wake-up comes from another thread
/// and must be handed back to the loop, two thread switches per sleep. An arrival-rate scenario
/// sleeps before nearly every iteration and a flow's think time before many requests, so on a
/// loop the timer is the loop's: the task resumes in the same thread, from the same `epoll`
/// wait that serves its sockets. Off a loop, it is `Task.sleep`.
public enum EventLoopSleep {
    /// Sleeps `nanoseconds` (returns at once for zero or less). Throws `CancellationError`
    /// when the task is cancelled, before or during the sleep, as `Task.sleep` does.
    public static func sleep(nanoseconds: Int64) async throws {
        try Task.checkCancellation()
        guard nanoseconds > 0 else { return }
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            try await Task.sleep(for: .nanoseconds(nanoseconds), tolerance: .microseconds(50))
            return
        }
        let timer = NIOLoopBound(LoopTimer(), eventLoop: loop)
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                // On the loop: the task runs there, and a continuation's body runs at once.
                timer.value.start(after: nanoseconds, on: loop, continuation)
            }
        } onCancel: {
            loop.execute { timer.value.cancel() }
        }
    }
}

/// One sleep's state, touched only on its event loop (through `NIOLoopBound`).
private final class LoopTimer {
    private var continuation: UnsafeContinuation<Void, any Error>?
    private var scheduled: Scheduled<Void>?
    /// The cancellation arrived before the sleep began.
    private var cancelled = false

    func start(after nanoseconds: Int64, on loop: any EventLoop, _ continuation: UnsafeContinuation<Void, any Error>) {
        guard !cancelled else {
            continuation.resume(throwing: CancellationError())
            return
        }
        self.continuation = continuation
        scheduled = loop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in
            scheduled = nil
            self.continuation.take()?.resume()
        }
    }

    func cancel() {
        guard let continuation = continuation.take() else {
            cancelled = true
            return
        }
        scheduled?.cancel()
        scheduled = nil
        continuation.resume(throwing: CancellationError())
    }
}
