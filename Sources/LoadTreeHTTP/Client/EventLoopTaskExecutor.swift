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
///
/// Jobs run *as this task executor*: NIO's own `enqueue` would run them as the loop's serial
/// executor, and every resumed nonisolated function would then hop again (suspend, enqueue
/// through the runtime, run a second time) to reach the executor the task prefers, about a
/// tenth of a request's CPU time.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension HTTPSession {
    /// An executor that runs tasks on this session's event loop (see `EventLoopTaskExecutor`).
    public var taskExecutor: EventLoopTaskExecutor { EventLoopTaskExecutor(eventLoop) }
}
