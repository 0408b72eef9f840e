import LoadTreeCore
import Synchronization

/// Runs `ramping-vus`: the number of looping VUs follows the schedule's raw steps, which start
/// and stop exactly the global VUs this segment owns (k6-reference §2.3).
///
/// A VU asked to stop finishes its iteration (graceful ramp-down); one still running when the
/// execution requirements say it must be gone is cancelled. VUs stop last-in-first-out: the
/// highest local number first.
enum RampingVUsExecutor {
    static func run<W: Workload>(_ context: ScenarioContext<W>, steps: [VUStep], requirements: [ExecutionRequirement], regularEnd: Int64, hardEnd: Int64) async {
        let slots = (0..<Int(context.schedule.maxVUs)).map { _ in VUSlot() }
        var timeline: [(at: Int64, vus: Int64, hard: Bool)] = steps.map { (context.start + $0.at, $0.vus, false) }
        timeline += requirements.map { (context.start + $0.at, $0.planned, true) }
        timeline.sort { ($0.at, $0.hard ? 1 : 0) < ($1.at, $1.hard ? 1 : 0) }
        // Every raw step, with the hard stops that fall between them.
        let lastRaw = timeline.lastIndex { !$0.hard } ?? -1
        var next = 0
        while next <= lastRaw {
            let event = timeline[next]
            guard event.at < hardEnd else { break }
            do { try await context.clock.sleep(until: event.at) } catch { break }
            apply(event, slots: slots, context: context, regularEnd: regularEnd)
            next += 1
        }
        // The stages are over: wait for running iterations, at most until the graceful stop
        // ends, still hard-stopping VUs when the requirements say so.
        for slot in slots { slot.deactivate() }
        while context.clock.now() < hardEnd, !slots.allSatisfy(\.isIdle) {
            while next < timeline.count, timeline[next].at <= context.clock.now() {
                apply(timeline[next], slots: slots, context: context, regularEnd: regularEnd)
                next += 1
            }
            do { try await Task.sleep(for: .milliseconds(10)) } catch { break }
        }
        for slot in slots { slot.terminate() }
        for slot in slots { await slot.finished() }
    }

    private static func apply<W: Workload>(_ event: (at: Int64, vus: Int64, hard: Bool), slots: [VUSlot], context: ScenarioContext<W>, regularEnd: Int64) {
        let target = Int(min(max(0, event.vus), Int64(slots.count)))
        if event.hard {
            for slot in slots[target...] { slot.hardStopIfStillRunning() }
        } else {
            for slot in slots[..<target] { slot.activate { Task(executorPreference: context.workload.vuExecutor()) { await loop(context, slot: slot, regularEnd: regularEnd) } } }
            for slot in slots[target...].reversed() { slot.deactivate() }
        }
    }

    private static func loop<W: Workload>(_ context: ScenarioContext<W>, slot: VUSlot, regularEnd: Int64) async {
        defer { slot.exited() }
        let made = await context.makeVU()
        let identity = made.0
        var state = made.1
        await context.workload.live(&state) { state in
            while await slot.waitActive() {
                context.progress.vuActivated()
                var keepGoing = true
                // No iteration starts after the stages end, however late the last step fires; the
                // clock read that admits an iteration is also its start.
                while keepGoing, slot.isActive, !Task.isCancelled, case let now = context.clock.now(), now < regularEnd {
                    keepGoing = await context.iterate(&state, vu: identity, began: now)
                }
                context.progress.vuDeactivated()
                if !keepGoing || Task.isCancelled || context.clock.now() >= regularEnd { return }
            }
        }
    }
}

/// One VU position of a ramping-vus scenario: whether it should run, and its task.
final class VUSlot: Sendable {
    private struct State {
        var active = false
        var terminated = false
        /// The current task has returned (its VU is gone).
        var exited = false
        var task: Task<Void, Never>?
        var waiter: CheckedContinuation<Bool, Never>?
        var retired: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    var isActive: Bool { state.withLock { $0.active } }

    /// Not running an iteration: never started, parked, or gone.
    var isIdle: Bool { state.withLock { !$0.active && ($0.task == nil || $0.waiter != nil || $0.exited) } }

    /// Called by the VU's task as it returns.
    func exited() {
        state.withLock { $0.exited = true }
    }

    /// Starts (or resumes) the VU; `spawn` creates its task when it has none.
    func activate(spawn: () -> Task<Void, Never>) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.terminated, !state.active else { return nil }
            state.active = true
            if state.exited, let old = state.task {
                state.retired.append(old)
                state.task = nil
            }
            if state.task == nil {
                state.exited = false
                state.task = spawn()
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: true)
    }

    /// Asks the VU to stop after its current iteration.
    func deactivate() {
        state.withLock { $0.active = false }
    }

    /// Cancels the VU if it was asked to stop but is still in an iteration: its graceful
    /// ramp-down time is over. A VU already parked keeps its state for a later ramp-up.
    func hardStopIfStillRunning() {
        state.withLock { state in
            guard !state.active, state.waiter == nil, let task = state.task else { return }
            task.cancel()
            state.retired.append(task)
            state.task = nil
        }
    }

    /// Waits until the VU should run; false when it should exit.
    func waitActive() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Bool? in
                if state.terminated || Task.isCancelled { return false }
                if state.active { return true }
                state.waiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Ends the VU for good: cancels it wherever it is.
    func terminate() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.terminated = true
            state.active = false
            state.task?.cancel()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }

    /// Waits for every task this slot ever ran.
    func finished() async {
        let tasks = state.withLock { state in state.retired + (state.task.map { [$0] } ?? []) }
        for task in tasks { await task.value }
    }
}
