import NIOCore

/// Runs Swift tasks on a NIO event loop thread, so that a VU and its connections share one
/// thread.
///
/// Without it a VU's task runs on Swift's global executor and every request hops to the event
/// loop thread and back (two cross-thread wake-ups). With
/// `withTaskExecutorPreference(session.taskExecutor) { ... }` the VU's code, its `send` calls
/// and the response continuations all run on the session's loop: writes go out directly and
/// responses resume the VU without a thread switch. The VU must then never block (no sleeping
/// threads, no heavy synchronous work), because it shares the thread with I/O.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        eventLoop.enqueue(job)
    }
}

extension HTTPSession {
    /// An executor that runs tasks on this session's event loop (see `EventLoopTaskExecutor`).
    public var taskExecutor: EventLoopTaskExecutor { EventLoopTaskExecutor(eventLoop) }
}
