import LoadTreeCore

/// Everything an executor needs at run time, for one scenario on this node.
struct ScenarioContext<W: Workload>: Sendable {
    let schedule: ExecutorSchedule
    let workload: W
    let clock: RunClock
    let metrics: MetricsCollector
    let counts: VUCounts
    /// VU ids, shared by every scenario of the node.
    let vuIDs: IdentityAllocator
    /// Iteration ids for this scenario (over the instance or the re-segmented tuple).
    let iterationIDs: IdentityAllocator
    let progress: ScenarioProgress
    /// Run-clock instant of the scenario's start: the engine's origin plus its `startTime`.
    let start: Int64
    let tags: TagSet
    private let iterationsSeries: MetricsCollector.Series?
    private let durationSeries: MetricsCollector.Series?
    private let droppedKey: SeriesKey

    init(schedule: ExecutorSchedule, workload: W, clock: RunClock, metrics: MetricsCollector,
         counts: VUCounts, vuIDs: IdentityAllocator, progress: ScenarioProgress, tags: TagSet, origin: Int64) {
        self.schedule = schedule
        self.workload = workload
        self.clock = clock
        self.metrics = metrics
        self.counts = counts
        self.vuIDs = vuIDs
        self.progress = progress
        self.start = origin + schedule.scenario.startTime.nanoseconds
        self.tags = tags
        let stripe = (schedule.workTuple ?? schedule.tuple).stripe
        self.iterationIDs = IdentityAllocator(stripe: stripe)
        iterationsSeries = metrics.series(SeriesKey(name: EngineMetric.iterations, tags: tags), type: .counter)
        durationSeries = metrics.series(SeriesKey(name: EngineMetric.iterationDuration, tags: tags), type: .trend, kind: .time)
        droppedKey = SeriesKey(name: EngineMetric.droppedIterations, tags: tags)
    }

    var name: String { schedule.scenario.name }

    /// A VU as the executor runs it: its ids, and its way into the metrics (the shard of the
    /// thread it runs on).
    struct RunningVU: Sendable {
        let identity: VUIdentity
        let recorder: MetricsCollector.Recorder
    }

    /// Creates a VU with the next id. Call it in the VU's own task, where it will run.
    func makeVU() async -> (RunningVU, W.State) {
        let (local, global) = vuIDs.next()
        let identity = VUIdentity(local: local, global: global)
        counts.initializedOne()
        let state = await workload.makeState(for: identity)
        return (RunningVU(identity: identity, recorder: metrics.recorder()), state)
    }

    /// Runs one iteration and records it. Returns false when it was cut short by cancellation
    /// (a hard stop): such an iteration is not counted, as in the reference.
    ///
    /// - Parameter began: the run clock at the call, when the caller just read it (a looping
    ///   VU reads it to decide whether the iteration may start), so it is not read twice.
    func iterate(_ state: inout W.State, vu: RunningVU, intendedStart: Int64? = nil, began: Int64? = nil) async -> Bool {
        let (local, global) = iterationIDs.next()
        let info = IterationInfo(scenario: name, vu: vu.identity, inInstance: local - 1, inTest: global - 1, intendedStart: intendedStart)
        let began = began ?? clock.now()
        do {
            try await workload.iterate(&state, info)
        } catch is CancellationError {
            progress.interrupted()
            return false
        } catch {
            if Task.isCancelled {
                progress.interrupted()
                return false
            }
        }
        if Task.isCancelled {
            progress.interrupted()
            return false
        }
        let ended = clock.now()
        if let iterationsSeries, let durationSeries {
            vu.recorder.record([(iterationsSeries, 1), (durationSeries, Double(ended - began) / 1e6)], at: ended)
        }
        progress.completed()
        return true
    }

    /// Counts an arrival-rate iteration that found no free VU.
    func dropped() {
        metrics.record(1, droppedKey, type: .counter)
        progress.dropped()
    }
}
