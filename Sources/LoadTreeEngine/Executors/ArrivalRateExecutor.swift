import LoadTreeCore
import Synchronization

/// Runs `constant-arrival-rate` and `ramping-arrival-rate`: iterations start on the schedule's
/// clock whatever the target's latency, on whichever pooled VU is free.
///
/// `preAllocatedVUs` VUs are created up front. When an iteration is due and no VU is free, it
/// is dropped (`dropped_iterations`) — never delayed or retried — and one more VU is created in
/// the background, up to `maxVUs`. The intended start time travels with the iteration so that
/// latency can also be measured from it (coordinated omission stays visible).
enum ArrivalRateExecutor {
    static func run<W: Workload>(_ context: ScenarioContext<W>, starts: IterationStarts, regularEnd: Int64, hardEnd: Int64) async {
        // The dispatcher runs where the VUs run (an event loop for HTTP flows): its sleep until
        // each start is the loop's timer, and handing an iteration to a VU of the same loop
        // needs no thread switch.
        await withTaskExecutorPreference(context.workload.vuExecutor()) {
            await dispatch(context, starts: starts, regularEnd: regularEnd, hardEnd: hardEnd)
        }
    }

    private static func dispatch<W: Workload>(_ context: ScenarioContext<W>, starts: IterationStarts, regularEnd: Int64, hardEnd: Int64) async {
        let pool = VUPool()
        let maxVUs = context.schedule.maxVUs
        await withTaskGroup(of: Bool.self) { group in
            var created: Int64 = 0
            func addVU() {
                created += 1
                let (stream, mailbox) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .unbounded)
                group.addTask(executorPreference: context.workload.vuExecutor()) {
                    await serve(context, stream: stream, mailbox: mailbox, pool: pool)
                    return true
                }
            }
            for _ in 0..<context.schedule.plannedVUs { addVU() }
            // Pre-allocated VUs are ready before the first iteration is due.
            await pool.waitUntilFree(context.schedule.plannedVUs)
            for start in starts {
                let due = context.start + start.at
                guard due < regularEnd else { break }
                do { try await context.clock.sleep(until: due) } catch { break }
                if let mailbox = pool.takeFree() {
                    mailbox.yield(due)
                } else {
                    context.dropped()
                    if created < maxVUs, pool.startGrowing() { addVU() }
                }
            }
            // No more iterations: VUs finish what they run and leave.
            pool.close()
            await group.finishVUs(created, clock: context.clock, hardEnd: hardEnd)
        }
    }

    /// One pooled VU: waits for due iterations in its mailbox and runs them.
    private static func serve<W: Workload>(_ context: ScenarioContext<W>, stream: AsyncStream<Int64>, mailbox: AsyncStream<Int64>.Continuation, pool: VUPool) async {
        let made = await context.makeVU()
        let identity = made.0
        var state = made.1
        context.progress.vuActivated()
        defer {
            context.progress.vuDeactivated()
        }
        guard pool.release(mailbox, grown: true) else { return }
        await context.workload.live(&state) { state in
            for await intended in stream {
                guard await context.iterate(&state, vu: identity, intendedStart: intended) else { return }
                guard pool.release(mailbox, grown: false) else { return }
            }
        }
    }
}

/// The free VUs of an arrival-rate scenario, as the mailboxes to send a due iteration to.
final class VUPool: Sendable {
    private struct State {
        var free: [AsyncStream<Int64>.Continuation] = []
        var all: [AsyncStream<Int64>.Continuation] = []
        var growing = false
        var closed = false
        var waiter: (count: Int64, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    /// Returns once `count` VUs are free (the pre-allocated ones).
    func waitUntilFree(_ count: Int64) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.free.count >= count { return true }
                state.waiter = (count, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// A free VU's mailbox, removed from the free list.
    func takeFree() -> AsyncStream<Int64>.Continuation? {
        state.withLock { $0.free.popLast() }
    }

    /// Marks that one more VU is being created; false when one already is (at most one at a
    /// time, as in the reference).
    func startGrowing() -> Bool {
        state.withLock { state in
            if state.growing { return false }
            state.growing = true
            return true
        }
    }

    /// Puts a VU back on the free list (`grown`: the VU is new). False once the pool is closed:
    /// the VU should then stop.
    func release(_ mailbox: AsyncStream<Int64>.Continuation, grown: Bool) -> Bool {
        let (open, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            if grown {
                state.all.append(mailbox)
                state.growing = false
            }
            if state.closed { return (false, nil) }
            state.free.append(mailbox)
            if let waiter = state.waiter, state.free.count >= waiter.count {
                state.waiter = nil
                return (true, waiter.continuation)
            }
            return (true, nil)
        }
        waiter?.resume()
        if !open { mailbox.finish() }
        return open
    }

    /// No more iterations will be dispatched: every mailbox is finished, so idle VUs return
    /// and busy ones return after their current iteration.
    func close() {
        let mailboxes = state.withLock { state in
            state.closed = true
            state.free = []
            return state.all
        }
        for mailbox in mailboxes { mailbox.finish() }
    }
}
