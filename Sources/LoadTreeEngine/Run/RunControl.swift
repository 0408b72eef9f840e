import LoadTreeCore
import Synchronization

/// The stop switch of a run and the facts a progress display reads, shared between the run,
/// its threshold watcher and whoever interrupts it (a signal handler, a tree's abort).
final class RunControl: Sendable {
    struct StopReason: Sendable {
        let reason: String
        let code: RunExitCode
    }

    private struct State {
        var stop: StopReason?
        var onStop: [@Sendable () -> Void] = []
        var startedAt: Int64 = 0
        var endedAt: Int64?
        var progress: [ScenarioProgress] = []
        var counts: VUCounts?
        var schedule: TestSchedule?
    }

    private let state = Mutex(State())

    var isStopped: Bool { state.withLock { $0.stop != nil } }
    var stopReason: StopReason? { state.withLock { $0.stop } }
    var startedAt: Int64 { state.withLock { $0.startedAt } }

    func started<W: Workload>(engine: Engine<W>, at now: Int64) {
        state.withLock { state in
            state.startedAt = now
            state.progress = engine.progress
            state.counts = engine.counts
            state.schedule = engine.schedule
        }
    }

    /// Runs `action` when the run is stopped (at once if it already is).
    func onStop(_ action: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state in
            if state.stop == nil { state.onStop.append(action) }
            return state.stop != nil
        }
        if stopped { action() }
    }

    /// Stops the run; the first reason wins.
    func stop(reason: String, code: RunExitCode) {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            guard state.stop == nil else { return [] }
            state.stop = StopReason(reason: reason, code: code)
            defer { state.onStop = [] }
            return state.onStop
        }
        for action in actions { action() }
    }

    /// When the scenarios ended (now, while they run).
    func endedAt(clock: RunClock) -> Int64 {
        state.withLock { state in
            if let ended = state.endedAt { return ended }
            let now = clock.now()
            state.endedAt = now
            return now
        }
    }

    func snapshot(clock: RunClock) -> RunSnapshot {
        state.withLock { state in
            let elapsed = state.progress.isEmpty ? 0 : max(0, (state.endedAt ?? clock.now()) - state.startedAt)
            let scenarios = zip(state.progress, state.schedule?.scenarios ?? []).map { progress, schedule in
                RunSnapshot.Scenario(
                    name: progress.name, activeVUs: progress.activeVUs, maxVUs: schedule.maxVUs,
                    completed: progress.completedIterations, interrupted: progress.interruptedIterations,
                    dropped: progress.droppedIterations, plannedIterations: schedule.iterations,
                    start: schedule.scenario.startTime.nanoseconds, end: (schedule.scenario.startTime + schedule.maxDuration).nanoseconds,
                    regularEnd: (schedule.scenario.startTime + schedule.duration).nanoseconds)
            }
            return RunSnapshot(elapsed: elapsed, activeVUs: state.counts?.active ?? 0, scenarios: scenarios, stopping: state.stop?.reason)
        }
    }
}

/// What a progress display shows at one instant.
public struct RunSnapshot: Sendable {
    public struct Scenario: Sendable {
        public let name: String
        public let activeVUs: Int64
        public let maxVUs: Int64
        public let completed: Int64
        public let interrupted: Int64
        public let dropped: Int64
        /// The iterations the scenario will run, when fixed in advance.
        public let plannedIterations: Int64?
        /// Nanoseconds from the test's start.
        public let start: Int64
        public let end: Int64
        public let regularEnd: Int64
    }

    /// Nanoseconds since the scenarios started.
    public let elapsed: Int64
    public let activeVUs: Int64
    public let scenarios: [Scenario]
    /// Why the run is stopping, once it is.
    public let stopping: String?
}
