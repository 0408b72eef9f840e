import Foundation
import LoadTreeCore
import LoadTreeHTTP

/// One test on one node, from setup to summary: what `loadtree run` does, and what a tree's
/// agent does for its segment.
///
/// setup (once) → scenarios on the engine, thresholds every 2 s (abortOnFail stops the run) →
/// teardown (once, also after an abort) → final thresholds and the summary.
public final class TestRun: Sendable {
    public struct Configuration: Sendable {
        public var plan: Plan
        /// Where the plan's data files are looked up.
        public var planDirectory: String
        public var tuple: ExecutionTuple
        public var environment: [String: String]
        /// Values that replace the plan's `vars` of the same name (`--var NAME=VALUE`).
        public var varOverrides: [String: String]
        /// Tags added to every sample of this node, over the plan's (`--tag`; a tree's agents
        /// add `zone`).
        public var extraTags: [String: String]
        public var summary: SummaryOptions
        public var thresholdsEnabled: Bool
        /// Event-loop threads for HTTP (default: one per core).
        public var httpThreads: Int
        /// Barriers and once() with the rest of the tree (``LocalCoordinator`` for a local run).
        public var coordinator: any RunCoordinator

        public init(plan: Plan, planDirectory: String, tuple: ExecutionTuple = .full,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    varOverrides: [String: String] = [:], extraTags: [String: String] = [:],
                    summary: SummaryOptions = SummaryOptions(), thresholdsEnabled: Bool = true,
                    httpThreads: Int = ProcessorAffinity.usableCores, coordinator: any RunCoordinator = LocalCoordinator()) {
            self.plan = plan
            self.planDirectory = planDirectory
            self.tuple = tuple
            self.environment = environment
            self.varOverrides = varOverrides
            self.extraTags = extraTags
            self.summary = summary
            self.thresholdsEnabled = thresholdsEnabled
            self.httpThreads = httpThreads
            self.coordinator = coordinator
        }
    }

    /// How a run ended.
    public struct Result: Sendable {
        public let summary: SummaryReport
        public let exitCode: RunExitCode
        /// Why the run stopped early, if it did.
        public let abortReason: String?
        /// Errors of setup or teardown, as the user should read them.
        public let errors: [String]
        /// The share of the test this run ran.
        public let tuple: ExecutionTuple
    }

    public let configuration: Configuration
    public let clock: RunClock
    public let metrics: MetricsCollector
    public let schedule: TestSchedule
    private let control = RunControl()

    /// - Parameters:
    ///   - clock: the run's clock; an output that stamps samples (`--out json`) shares it.
    ///   - output: receives every sample as well.
    public init(_ configuration: Configuration, clock: RunClock = RunClock(), output: (any SampleOutput)? = nil) {
        self.configuration = configuration
        self.clock = clock
        self.metrics = MetricsCollector(clock: clock, output: output, shards: max(1, configuration.httpThreads))
        self.schedule = TestSchedule(scenarios: configuration.plan.scenarios, tuple: configuration.tuple)
    }

    /// Stops the run from outside (Ctrl-C): running iterations are cancelled, teardown and the
    /// summary still happen, and the exit code is 105.
    public func interrupt() {
        stop(reason: "interrupted", code: .externalAbort)
    }

    /// Stops the run for `reason` (a tree's abort): running iterations are cancelled, teardown
    /// and the summary still happen, and the run ends with `code`. The first stop wins.
    public func stop(reason: String, code: RunExitCode) {
        control.stop(reason: reason, code: code)
    }

    /// The live figures of the run, for a progress display.
    public func snapshot() -> RunSnapshot {
        control.snapshot(clock: clock)
    }

    public func run() async -> Result {
        let plan = configuration.plan
        var data: [String: (table: DataTable, selection: DataSource.Selection)] = [:]
        do {
            for source in plan.data {
                data[source.name] = (try DataTable.load(source, baseDirectory: configuration.planDirectory), source.selection)
            }
        } catch {
            return finish(errors: ["\(error)"], code: .invalidConfig, reason: "invalid data")
        }
        let tls = TLSClientOptions(
            caFile: plan.tls.caPath(planDirectory: configuration.planDirectory),
            insecureSkipVerify: plan.tls.insecureSkipVerify
        )
        let client = HTTPClient(threads: max(1, configuration.httpThreads), configuration: HTTPClient.Configuration(tls: tls))
        if tls.caFile != nil {
            do { try client.prepareTLS() } catch {
                await client.shutdown()
                return finish(errors: ["\(error)"], code: .invalidConfig, reason: "invalid TLS settings")
            }
        }
        let env = configuration.environment
        let varsScope = VariableScope(vars: [:], environment: env, setup: [:], vu: 0)
        var vars = plan.vars.mapValues { Template($0).render(varsScope) }
        for (name, value) in configuration.varOverrides { vars[name] = value }
        func context(setup: [String: String], tags: TagSet) -> FlowWorkload.Context {
            FlowWorkload.Context(client: client, metrics: metrics, clock: clock, vars: vars, environment: env,
                                 setup: setup, data: data, tags: tags)
        }
        let planTags = TagSet(plan.tags.merging(configuration.extraTags) { $1 })
        var errors: [String] = []

        let coordinator = configuration.coordinator
        await barrier(RunBarrier.initDone, errors: &errors)
        await barrier(RunBarrier.readyToRunSetup, errors: &errors)

        // setup, once in the whole test.
        var setupData: [String: String] = [:]
        if !plan.setup.isEmpty, !control.isStopped {
            let setup = FlowWorkload(steps: plan.setup, context: context(setup: [:], tags: planTags.setting("scenario", to: "setup")))
            do {
                setupData = try await coordinator.once("setup") { try await setup.runOnce() }
            } catch {
                errors.append("setup failed: \(error)")
                control.stop(reason: "setup failed", code: .setupFailed)
            }
        }
        await barrier(RunBarrier.setupDone, errors: &errors)

        // The scenarios.
        var reporter: Task<Void, Never>?
        if !control.isStopped {
            var workloads: [String: FlowWorkload] = [:]
            for scenario in plan.scenarios {
                guard let flow = plan.flow(named: scenario.flow) else { continue }
                var tags = planTags
                for (key, value) in scenario.tags { tags = tags.setting(key, to: value) }
                tags = tags.setting("scenario", to: scenario.name)
                workloads[scenario.name] = FlowWorkload(
                    steps: flow.steps, context: context(setup: setupData, tags: tags), http: scenario.http)
            }
            let engine = Engine(schedule: schedule, workloads: workloads, clock: clock, metrics: metrics, tags: planTags)
            let startedAt = clock.now()
            control.started(engine: engine, at: startedAt)
            await coordinator.scenariosStarted(atUnixNanoseconds: WallClock.now())
            let engineTask = Task { await engine.run(from: startedAt) }
            control.onStop { engineTask.cancel() }
            let watcher = Task { await watchThresholds() }
            reporter = Task { await reportMetrics(sampling: engine) }
            await engineTask.value
            watcher.cancel()
        }
        await barrier(RunBarrier.executionDone, errors: &errors)
        // A tree's agent reports (and samples its VUs) until the whole tree's scenarios are
        // done, not only its own: one that ended early counts 0 VUs at the boundaries while
        // the others still run, and none samples once they all ended.
        reporter?.cancel()
        await reporter?.value

        // teardown, once, also after an abort.
        if !plan.teardown.isEmpty {
            let teardown = FlowWorkload(steps: plan.teardown, context: context(setup: setupData, tags: planTags.setting("scenario", to: "teardown")))
            do {
                _ = try await coordinator.once("teardown") { try await teardown.runOnce() }
            } catch {
                errors.append("teardown failed: \(error)")
            }
        }
        // What was recorded since the last report (teardown included) goes up before the end.
        if configuration.coordinator.metricInterval != nil {
            await configuration.coordinator.report(metrics.drainInterval())
        }
        await barrier(RunBarrier.teardownDone, errors: &errors)
        await client.shutdown()
        let stop = control.stopReason
        return finish(errors: errors, code: stop?.code, reason: stop?.reason)
    }

    /// Passes a lifecycle barrier with the rest of the tree. Every node passes every barrier,
    /// stopped or not, so none waits for another forever; a failure stops the run (the other
    /// nodes see it too), and teardown and the summary still happen.
    private func barrier(_ id: String, errors: inout [String]) async {
        do { try await configuration.coordinator.signalAndWait(id) } catch {
            errors.append("\(error)")
            control.stop(reason: "barrier \(id) failed", code: .genericError)
        }
    }

    /// Sends an interval of metrics up the tree every `metricInterval` while the scenarios run,
    /// at the run clock's multiples of the interval, each with a fresh sample of `vus` and
    /// `vus_max`: every boundary of the tree-wide gauge totals then sees one report from each
    /// agent (``GaugeSource``). It runs until the tree's scenarios are all done (the execution
    /// barrier): an agent whose own ended early samples its 0 VUs meanwhile, and nothing is
    /// sampled after the whole test's scenarios ended, as in a run on one machine and in the
    /// reference (a sample then would end the root's `vus` at 0).
    private func reportMetrics<W: Workload>(sampling engine: Engine<W>) async {
        guard let interval = configuration.coordinator.metricInterval else { return }
        let spacing = max(1, interval.nanoseconds)
        while !Task.isCancelled {
            let next = (clock.now() / spacing + 1) * spacing
            do { try await clock.sleep(until: next) } catch { return }
            engine.recordVUs()
            await configuration.coordinator.report(metrics.drainInterval())
        }
    }

    /// Every 2 s: thresholds on what was recorded so far; a failed `abortOnFail` one stops the run.
    private func watchThresholds() async {
        guard let watch = ThresholdWatch(plan: configuration.plan, enabled: configuration.thresholdsEnabled) else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: ThresholdWatch.period) } catch { return }
            let elapsed = Duration.nanoseconds(clock.now() - control.startedAt)
            if let reason = watch.abortReason(MetricsView(metrics.snapshot()), elapsed: elapsed) {
                control.stop(reason: reason, code: .thresholdsFailed)
                return
            }
        }
    }

    private func finish(errors: [String], code: RunExitCode?, reason: String?) -> Result {
        let testDuration = Duration.nanoseconds(max(0, control.endedAt(clock: clock) - control.startedAt))
        let summary = SummaryReport(plan: configuration.plan, view: MetricsView(metrics.snapshot()), testDuration: testDuration,
                                    options: configuration.summary, thresholdsEnabled: configuration.thresholdsEnabled)
        var exit = code ?? .success
        if exit == .success, summary.thresholdsFailed { exit = .thresholdsFailed }
        return Result(summary: summary, exitCode: exit, abortReason: reason, errors: errors, tuple: configuration.tuple)
    }
}
