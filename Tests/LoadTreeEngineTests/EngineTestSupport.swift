import LoadTreeCore
import LoadTreeEngine
import Synchronization

/// A workload that records every iteration it is asked to run and sleeps for `pause`.
final class RecordingWorkload: Workload {
    struct Record: Sendable {
        let info: IterationInfo
        let startedAt: Int64
    }

    struct State {
        let vu: VUIdentity
        var iterations = 0
    }

    let pause: Duration
    let clock: RunClock
    private let records = Mutex<[Record]>([])
    private let vus = Mutex<[VUIdentity]>([])

    init(pause: Duration, clock: RunClock) {
        self.pause = pause
        self.clock = clock
    }

    func makeState(for vu: VUIdentity) async -> State {
        vus.withLock { $0.append(vu) }
        return State(vu: vu)
    }

    func iterate(_ state: inout State, _ iteration: IterationInfo) async throws {
        let now = clock.now()
        records.withLock { $0.append(Record(info: iteration, startedAt: now)) }
        state.iterations += 1
        if pause > .zero { try await Task.sleep(for: pause) }
    }

    var all: [Record] { records.withLock { $0 } }
    var createdVUs: [VUIdentity] { vus.withLock { $0 } }
}

enum EngineFixture {
    /// Runs one scenario on `tuple` with a recording workload; returns the workload and engine.
    static func run(
        _ executor: ExecutorConfig, pause: Duration = .zero, gracefulStop: Duration = .seconds(2),
        tuple: ExecutionTuple = .full
    ) async -> (RecordingWorkload, Engine<RecordingWorkload>) {
        let clock = RunClock()
        let workload = RecordingWorkload(pause: pause, clock: clock)
        let scenario = Scenario(name: "s", executor: executor, gracefulStop: gracefulStop)
        let engine = Engine(
            schedule: TestSchedule(scenarios: [scenario], tuple: tuple), workloads: ["s": workload],
            clock: clock, metrics: MetricsCollector(clock: clock))
        await engine.run()
        return (workload, engine)
    }

    static func counter(_ engine: Engine<RecordingWorkload>, _ name: String) -> Double {
        engine.metrics.snapshot().series.filter { $0.key.name.rawValue == name }.values.reduce(0.0) { total, sink in
            guard case .counter(let counter) = sink else { return total }
            return total + counter.sum
        }
    }
}
