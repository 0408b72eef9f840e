import LoadTreeHTTP
import NIOCore
import NIOPosix
import Testing

/// A task on an event loop sleeps on the loop's timer, with `Task.sleep`'s contract: it sleeps
/// at least as long as asked, and a cancellation ends it at once with `CancellationError`.
@Suite struct EventLoopSleepTests {
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private func onLoop<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        Task(executorPreference: EventLoopTaskExecutor(Self.group.next())) {
            #expect(MultiThreadedEventLoopGroup.currentEventLoop != nil)
            return try await body()
        }
    }

    @Test func sleepsAtLeastAsLongAsAsked() async throws {
        let elapsed = try await onLoop {
            let start = ContinuousClock.now
            try await EventLoopSleep.sleep(nanoseconds: 30_000_000)
            return ContinuousClock.now - start
        }.value
        #expect(elapsed >= .milliseconds(30))
    }

    @Test func cancellationEndsALongSleep() async {
        let started = ContinuousClock.now
        let task = onLoop { try await EventLoopSleep.sleep(nanoseconds: 60_000_000_000) }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // Well before the minute the sleep asked for.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func aCancelledTaskDoesNotSleep() async {
        let task = onLoop {
            withUnsafeCurrentTask { $0?.cancel() }
            try await EventLoopSleep.sleep(nanoseconds: 60_000_000_000)
        }
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func offALoopItIsTaskSleep() async throws {
        #expect(MultiThreadedEventLoopGroup.currentEventLoop == nil)
        let start = ContinuousClock.now
        try await EventLoopSleep.sleep(nanoseconds: 20_000_000)
        #expect(ContinuousClock.now - start >= .milliseconds(20))
    }
}
