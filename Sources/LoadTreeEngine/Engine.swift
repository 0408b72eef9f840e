import LoadTreeCore

/// Runs a node's share of a test: every scenario of the schedule, each from its start time,
/// with the executor the plan names, on VUs that run a ``Workload``.
///
/// The engine knows nothing of HTTP or flows; a tree node and `loadtree run` drive it the same
/// way. Cancelling the task that runs it is a hard stop of everything.
public struct Engine<W: Workload>: Sendable {
    public let schedule: TestSchedule
    public let clock: RunClock
    public let metrics: MetricsCollector
    public let counts: VUCounts
    /// One progress record per scenario, in plan order.
    public let progress: [ScenarioProgress]
    private let workloads: [String: W]
    private let tags: TagSet

    /// - Parameters:
    ///   - workloads: the workload of each scenario, by scenario name. A scenario without one
    ///     is skipped.
    ///   - tags: tags on every sample (the plan's `tags`); each scenario adds `scenario:NAME`
    ///     and its own tags.
    public init(schedule: TestSchedule, workloads: [String: W], clock: RunClock, metrics: MetricsCollector, tags: TagSet = .empty) {
        self.schedule = schedule
        self.workloads = workloads
        self.clock = clock
        self.metrics = metrics
        self.tags = tags
        let progress = schedule.scenarios.map { ScenarioProgress(name: $0.scenario.name) }
        self.progress = progress
        self.counts = VUCounts(scenarios: progress)
    }

    /// Runs every scenario to its end (graceful stops included) and returns.
    ///
    /// - Parameter origin: the run-clock instant the scenarios' start times count from: when
    ///   the executors start, after setup (a setup that takes a while must not eat into the
    ///   scenarios' durations, nor make the first arrival-rate iterations overdue). Default:
    ///   the run clock's own origin.
    public func run(from origin: Int64 = 0) async {
        let vuIDs = IdentityAllocator(stripe: schedule.tuple.stripe)
        await withTaskGroup(of: Void.self) { group in
            var scenariosLeft = 0
            for (index, scenarioSchedule) in schedule.scenarios.enumerated() {
                guard scenarioSchedule.hasWork, let workload = workloads[scenarioSchedule.scenario.name] else { continue }
                var scenarioTags = tags
                for (key, value) in scenarioSchedule.scenario.tags { scenarioTags = scenarioTags.setting(key, to: value) }
                scenarioTags = scenarioTags.setting("scenario", to: scenarioSchedule.scenario.name)
                let context = ScenarioContext(
                    schedule: scenarioSchedule, workload: workload, clock: clock, metrics: metrics,
                    counts: counts, vuIDs: vuIDs, progress: progress[index], tags: scenarioTags, origin: origin)
                group.addTask { await Self.runScenario(context) }
                scenariosLeft += 1
            }
            group.addTask { await sampleVUs(from: origin) }
            // The sampler runs until every scenario is done.
            if scenariosLeft == 0 { group.cancelAll() }
            while let _ = await group.next() {
                scenariosLeft -= 1
                if scenariosLeft <= 0 { group.cancelAll() }
            }
        }
    }

    private static func runScenario(_ context: ScenarioContext<W>) async {
        do { try await context.clock.sleep(until: context.start) } catch { return }
        let s = context.schedule
        let regularEnd = context.start + s.duration.nanoseconds
        let hardEnd = context.start + s.maxDuration.nanoseconds
        switch s.scenario.executor {
        case .constantVUs:
            await LoopingExecutor.run(context, vus: s.plannedVUs, budget: .untilEnd, regularEnd: regularEnd, hardEnd: hardEnd)
        case .perVUIterations(let c):
            await LoopingExecutor.run(context, vus: s.plannedVUs, budget: .perVU(c.iterations), regularEnd: regularEnd, hardEnd: hardEnd)
        case .sharedIterations:
            await LoopingExecutor.run(context, vus: s.plannedVUs, budget: .shared(SharedCounter(s.iterations ?? 0)), regularEnd: regularEnd, hardEnd: hardEnd)
        case .rampingVUs:
            await RampingVUsExecutor.run(context, steps: s.vuSteps ?? [], requirements: s.requirements, regularEnd: regularEnd, hardEnd: hardEnd)
        case .constantArrivalRate, .rampingArrivalRate:
            guard let starts = s.iterationStarts() else { return }
            await ArrivalRateExecutor.run(context, starts: starts, regularEnd: regularEnd, hardEnd: hardEnd)
        }
    }

    /// Records `vus` and `vus_max` at every full second of the run, as the reference's ticker
    /// does: not at the start, when no VU is active yet (a `vus` minimum of 0 in every
    /// summary), nor after the end (a last value of 0). A run shorter than a second records
    /// neither gauge, as in the reference.
    private func sampleVUs(from origin: Int64) async {
        var tick = origin
        while !Task.isCancelled {
            tick += 1_000_000_000
            do { try await clock.sleep(until: tick) } catch { return }
            recordVUs()
        }
    }

    /// Records `vus` and `vus_max` now. A tree's agent also calls it right before each report
    /// while the tree's scenarios run, so every report carries both gauges and the tree-wide
    /// sums (``GaugeTotal``) count every agent at every boundary.
    public func recordVUs() {
        metrics.record([
            MetricSample(Double(counts.active), SeriesKey(name: EngineMetric.vus, tags: tags), type: .gauge),
            MetricSample(Double(counts.initialized), SeriesKey(name: EngineMetric.vusMax, tags: tags), type: .gauge),
        ])
    }
}
